// Decoding, writing, resizing and rotating 8-bit grayscale images.
#include "CVision.h"
#include "guard.hpp"
#include "integrity.hpp"
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cstdlib>

using cvision::Failure;
using cvision::guarded;
using cvision::require;

namespace {

/// Copies a decoded Mat (any depth/channels) into a malloc'd grayscale cv_gray.
void to_owned_gray(const cv::Mat &decoded, cv_gray *out) {
    cv::Mat gray;
    if (decoded.channels() == 1) gray = decoded;
    else if (decoded.channels() == 3) cv::cvtColor(decoded, gray, cv::COLOR_BGR2GRAY);
    else cv::cvtColor(decoded, gray, cv::COLOR_BGRA2GRAY);
    if (gray.depth() != CV_8U) gray.convertTo(gray, CV_8U);
    size_t bytes = (size_t)gray.cols * (size_t)gray.rows;
    auto *pixels = static_cast<uint8_t *>(std::malloc(bytes > 0 ? bytes : 1));
    if (pixels == nullptr) throw std::bad_alloc();
    for (int r = 0; r < gray.rows; ++r) std::memcpy(pixels + (size_t)r * gray.cols, gray.ptr(r), gray.cols);
    out->pixels = pixels;
    out->width = gray.cols;
    out->height = gray.rows;
}

void require_image(const uint8_t *pixels, int width, int height, const char *what) {
    require(pixels != nullptr, std::string(what) + ": null pixel buffer");
    require(width > 0 && height > 0,
            std::string(what) + ": size " + std::to_string(width) + "x" + std::to_string(height) + " is empty");
}

}  // namespace

extern "C" void cv_gray_free(cv_gray *image) {
    if (image == nullptr) return;
    std::free(image->pixels);
    image->pixels = nullptr;
    image->width = 0;
    image->height = 0;
}

extern "C" int cv_decode_file_gray(const char *path, cv_gray *out, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        require(path != nullptr && out != nullptr, "cv_decode_file_gray: null argument");
        *out = cv_gray{nullptr, 0, 0};
        // Checked before decoding: OpenCV would decode a truncated JPEG's first rows and go on.
        std::string bytes = cvision::read_file(path);
        std::string damage = cvision::encoded_damage(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
        if (!damage.empty()) throw Failure{CV_ERR_DECODE, std::string(path) + ": " + damage};
        cv::Mat decoded = cv::imread(path, cv::IMREAD_GRAYSCALE);
        if (decoded.empty()) throw Failure{CV_ERR_DECODE, std::string(path) + ": not an image OpenCV can decode"};
        to_owned_gray(decoded, out);
        return CV_OK;
    });
}

extern "C" int cv_decode_bytes_gray(const uint8_t *bytes, size_t length, cv_gray *out, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        require(bytes != nullptr && out != nullptr, "cv_decode_bytes_gray: null argument");
        require(length > 0, "cv_decode_bytes_gray: no bytes");
        *out = cv_gray{nullptr, 0, 0};
        std::string damage = cvision::encoded_damage(bytes, length);
        if (!damage.empty()) throw Failure{CV_ERR_DECODE, damage};
        cv::Mat buffer(1, (int)length, CV_8U, const_cast<uint8_t *>(bytes));
        cv::Mat decoded = cv::imdecode(buffer, cv::IMREAD_GRAYSCALE);
        if (decoded.empty()) throw Failure{CV_ERR_DECODE, "bytes are not an image OpenCV can decode"};
        to_owned_gray(decoded, out);
        return CV_OK;
    });
}

extern "C" int cv_write_gray(const char *path, const uint8_t *pixels, int width, int height, char *err,
                             size_t err_len) {
    return guarded(err, err_len, [&] {
        require(path != nullptr, "cv_write_gray: null path");
        require_image(pixels, width, height, "cv_write_gray");
        cv::Mat image(height, width, CV_8U, const_cast<uint8_t *>(pixels));
        bool written = false;
        try {
            written = cv::imwrite(path, image);
        } catch (const cv::Exception &e) {
            throw Failure{CV_ERR_IO, std::string(path) + ": cannot write image (" + e.err + ")"};
        }
        if (!written) throw Failure{CV_ERR_IO, std::string(path) + ": cannot write image"};
        return CV_OK;
    });
}

extern "C" int cv_resize_gray(const uint8_t *src, int sw, int sh, uint8_t *dst, int dw, int dh, char *err,
                              size_t err_len) {
    return guarded(err, err_len, [&] {
        require_image(src, sw, sh, "cv_resize_gray source");
        require_image(dst, dw, dh, "cv_resize_gray destination");
        cv::Mat in(sh, sw, CV_8U, const_cast<uint8_t *>(src));
        cv::Mat out(dh, dw, CV_8U, dst);
        bool shrinking = dw < sw || dh < sh;
        cv::resize(in, out, out.size(), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
        return CV_OK;
    });
}

extern "C" int cv_rotate_gray(const uint8_t *src, int width, int height, double degrees, uint8_t *dst,
                              char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        require_image(src, width, height, "cv_rotate_gray source");
        require(dst != nullptr, "cv_rotate_gray: null destination");
        cv::Mat in(height, width, CV_8U, const_cast<uint8_t *>(src));
        cv::Mat out(height, width, CV_8U, dst);
        cv::Point2f centre((width - 1) * 0.5f, (height - 1) * 0.5f);
        cv::Mat m = cv::getRotationMatrix2D(centre, degrees, 1.0);
        cv::warpAffine(in, out, m, out.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        return CV_OK;
    });
}
