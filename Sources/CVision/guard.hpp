// Internal: turns every C++ exception into a CVision status code and message.
#pragma once
#include "CVision.h"
#include <opencv2/core.hpp>
#include <cstdio>
#include <cstring>
#include <exception>
#include <ios>
#include <new>
#include <string>

namespace cvision {

/// Writes a NUL-terminated message into the caller's buffer (if any).
inline void set_error(char *err, size_t err_len, const std::string &message) {
    if (err == nullptr || err_len == 0) return;
    std::snprintf(err, err_len, "%s", message.c_str());
}

/// Thrown inside CVision for argument and I/O errors that carry their own code.
struct Failure {
    int code;
    std::string message;
};

/// Runs body and converts any exception to a code; body returns CV_OK or throws.
template <class Body>
int guarded(char *err, size_t err_len, Body &&body) {
    try {
        return body();
    } catch (const Failure &f) {
        set_error(err, err_len, f.message);
        return f.code;
    } catch (const cv::Exception &e) {
        // e.what() is a multi-line banner; func + err is what a user needs.
        set_error(err, err_len, "OpenCV error in " + e.func + ": " + e.err);
        return CV_ERR_OPENCV;
    } catch (const std::bad_alloc &) {
        set_error(err, err_len, "out of memory");
        return CV_ERR_MEMORY;
    } catch (const std::ios_base::failure &) {
        // libstdc++'s text ("basic_filebuf::underflow error reading the file: …") names no file
        // and reads as an internal error; the callers name the file.
        set_error(err, err_len, "the file could not be read as a file (is it a folder or a special file?)");
        return CV_ERR_IO;
    } catch (const std::exception &e) {
        set_error(err, err_len, e.what());
        return CV_ERR_OTHER;
    } catch (...) {
        set_error(err, err_len, "unknown C++ exception");
        return CV_ERR_OTHER;
    }
}

inline void require(bool condition, const std::string &message) {
    if (!condition) throw Failure{CV_ERR_ARG, message};
}

}  // namespace cvision
