// PNG output for synthetic faces: single grey images and a labelled sample sheet.
#include "CVisionRender.h"
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cstdio>
#include <string>
#include <vector>

static void setErr(char *err, int errLen, const std::string &msg) {
    if (err && errLen > 0) std::snprintf(err, (size_t)errLen, "%s", msg.c_str());
}

static int writePng(const char *path, const cv::Mat &img, char *err, int errLen) {
    if (!cv::imwrite(path, img)) {
        setErr(err, errLen, std::string("cannot write PNG '") + path + "' (missing directory or no permission?)");
        return -1;
    }
    return 0;
}

extern "C" int cvr_write_gray_png(const char *path, const float *pixels, int width, int height, char *err,
                                  int errLen) {
    if (!path || !pixels || width <= 0 || height <= 0) {
        setErr(err, errLen, "cvr_write_gray_png: null path or pixels, or empty image");
        return -1;
    }
    try {
        cv::Mat f(height, width, CV_32FC1, const_cast<float *>(pixels)), g;
        f.convertTo(g, CV_8U);   // rounds and saturates to 0...255
        return writePng(path, g, err, errLen);
    } catch (const std::exception &e) {
        setErr(err, errLen, std::string("cvr_write_gray_png: ") + e.what());
    } catch (...) {
        setErr(err, errLen, "cvr_write_gray_png: unknown C++ exception");
    }
    return -1;
}

extern "C" int cvr_write_sample_sheet(const char *path, const float *images, int count, int size, int columns,
                                      int cell, const char *const *captions, char *err, int errLen) {
    if (!path || !images || count <= 0 || size <= 0 || columns <= 0 || cell < size / 4) {
        setErr(err, errLen, "cvr_write_sample_sheet: invalid arguments (need images, count > 0, columns > 0)");
        return -1;
    }
    try {
        const int lines = 5, lineH = 11, pad = 6;
        const int cw = std::max(cell + pad, 140), ch = cell + lines * lineH + pad;
        const int rows = (count + columns - 1) / columns;
        cv::Mat sheet(rows * ch + pad, columns * cw + pad, CV_8UC1, cv::Scalar(255));
        for (int i = 0; i < count; i++) {
            int r = i / columns, c = i % columns;
            int x0 = pad + c * cw + (cw - pad - cell) / 2, y0 = pad + r * ch;
            cv::Mat f(size, size, CV_32FC1, const_cast<float *>(images + (size_t)i * size * size)), g, big;
            f.convertTo(g, CV_8U);
            cv::resize(g, big, cv::Size(cell, cell), 0, 0, cell >= size ? cv::INTER_NEAREST : cv::INTER_AREA);
            big.copyTo(sheet(cv::Rect(x0, y0, cell, cell)));
            if (!captions || !captions[i]) continue;
            std::string text(captions[i]);
            size_t start = 0;
            for (int l = 0; l < lines && start <= text.size(); l++) {
                size_t end = text.find('\n', start);
                std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
                cv::putText(sheet, line, cv::Point(x0, y0 + cell + 11 + l * lineH), cv::FONT_HERSHEY_SIMPLEX,
                            0.3, cv::Scalar(0), 1, cv::LINE_AA);
                if (end == std::string::npos) break;
                start = end + 1;
            }
        }
        return writePng(path, sheet, err, errLen);
    } catch (const std::exception &e) {
        setErr(err, errLen, std::string("cvr_write_sample_sheet: ") + e.what());
    } catch (...) {
        setErr(err, errLen, "cvr_write_sample_sheet: unknown C++ exception");
    }
    return -1;
}
