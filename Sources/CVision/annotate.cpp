// Boxes, eye marks and captions drawn on a colour copy of a photo (facet predict --annotate).
#include "CVisionAnnotate.h"
#include "guard.hpp"
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

using cvision::guarded;
using cvision::require;

namespace {

/// Hershey fonts draw ASCII only: anything else becomes '?'.
std::string ascii(const std::string &s) {
    std::string out;
    for (unsigned char c : s) {
        if (c >= 0x80) {
            if ((c & 0xC0) == 0xC0) out += '?';  // one '?' per UTF-8 sequence: skip continuation bytes
        } else {
            out += (char)c;
        }
    }
    return out;
}

/// Caption lines in a filled band above the box (below it when the box touches the top edge).
void caption(cv::Mat &image, const cv::Rect &box, const std::string &text, double scale, int thickness) {
    std::vector<std::string> lines;
    std::stringstream stream(ascii(text));
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    if (lines.empty()) return;
    int baseline = 0, lineHeight = 0, width = 0;
    for (auto &line : lines) {
        cv::Size size = cv::getTextSize(line, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
        lineHeight = std::max(lineHeight, size.height + baseline + 2);
        width = std::max(width, size.width);
    }
    int height = lineHeight * (int)lines.size() + 2;
    int top = box.y - height >= 0 ? box.y - height : std::min(image.rows - height, box.y + box.height);
    cv::Rect band(std::max(0, box.x), std::max(0, top), width + 6, height);
    cv::rectangle(image, band, cv::Scalar(0, 200, 255), cv::FILLED);
    for (size_t i = 0; i < lines.size(); ++i) {
        cv::Point origin(band.x + 3, band.y + lineHeight * (int)(i + 1) - baseline);
        cv::putText(image, lines[i], origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 0, 0), thickness, cv::LINE_AA);
    }
}

}  // namespace

extern "C" int cv_annotate_file(const char *in_path, const char *out_path, const cv_annotation *items, int count,
                                char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        require(in_path != nullptr && out_path != nullptr, "cv_annotate_file: null path");
        require(count >= 0 && (count == 0 || items != nullptr), "cv_annotate_file: bad annotation list");
        cv::Mat image = cv::imread(in_path, cv::IMREAD_COLOR);
        if (image.empty()) throw cvision::Failure{CV_ERR_DECODE, "the input is not an image OpenCV can read"};
        // Line widths and text follow the photo's size so marks stay visible on large photos.
        double unit = std::max(1.0, std::max(image.cols, image.rows) / 600.0);
        int thickness = std::max(1, (int)std::lround(unit * 1.5));
        for (int i = 0; i < count; ++i) {
            const cv_annotation &a = items[i];
            cv::Rect box(a.x, a.y, a.width, a.height);
            cv::rectangle(image, box, cv::Scalar(0, 255, 0), thickness, cv::LINE_AA);
            if (a.has_eyes) {
                int radius = std::max(2, a.width / 30);
                cv::circle(image, cv::Point((int)std::lround(a.left_x), (int)std::lround(a.left_y)), radius,
                           cv::Scalar(255, 0, 0), thickness, cv::LINE_AA);
                cv::circle(image, cv::Point((int)std::lround(a.right_x), (int)std::lround(a.right_y)), radius,
                           cv::Scalar(0, 0, 255), thickness, cv::LINE_AA);
            }
            if (a.label != nullptr) caption(image, box, a.label, 0.45 * unit, std::max(1, thickness - 1));
        }
        if (!cv::imwrite(out_path, image)) throw cvision::Failure{CV_ERR_IO, "the output could not be written (unknown extension or unwritable folder)"};
        return CV_OK;
    });
}
