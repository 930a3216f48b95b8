// Viola-Jones face and eye detection (paper section 3.3, first step).
#include "CVision.h"
#include "detector.hpp"
#include "guard.hpp"
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>

using cvision::Failure;
using cvision::guarded;
using cvision::require;

namespace {

void load_cascade(cv::CascadeClassifier &cascade, const char *path, const char *what) {
    require(path != nullptr, std::string(what) + " cascade path is null");
    {
        std::ifstream probe(path);
        if (!probe) throw Failure{CV_ERR_IO, std::string(path) + ": cannot open " + what + " cascade"};
    }
    if (!cascade.load(path) || cascade.empty())
        throw Failure{CV_ERR_DECODE, std::string(path) + ": not a Haar cascade OpenCV can load"};
}

void check_params(const cv_detect_params &p) {
    require(p.face_scale_factor > 1.0, "face scale factor must be > 1");
    require(p.eye_scale_factor > 1.0, "eye scale factor must be > 1");
    require(p.face_min_neighbors >= 0 && p.eye_min_neighbors >= 0, "min neighbours must be >= 0");
    require(p.face_min_size >= 1, "minimum face size must be >= 1");
    require(p.eye_region_width >= 40, "eye region width must be >= 40");
}

}  // namespace

namespace cvision {

std::vector<cv::Rect> find_faces(cv_detector &detector, const cv::Mat &image, const cv_detect_params &params) {
    check_params(params);
    std::vector<cv::Rect> faces;
    detector.face.detectMultiScale(image, faces, params.face_scale_factor, params.face_min_neighbors, 0,
                                   cv::Size(params.face_min_size, params.face_min_size));
    // Largest first; ties broken by position so the choice is deterministic.
    std::sort(faces.begin(), faces.end(), [](const cv::Rect &a, const cv::Rect &b) {
        if (a.area() != b.area()) return a.area() > b.area();
        return a.y != b.y ? a.y < b.y : a.x < b.x;
    });
    return faces;
}

cv_eyes find_eyes(cv_detector &detector, const cv::Mat &image, const cv::Rect &face, const cv_detect_params &params) {
    check_params(params);
    cv_eyes result{};
    // Upper part of the face box: generous enough for a face tilted by ~20 degrees.
    int top = face.y + (int)std::lround(0.12 * face.height);
    int bottom = face.y + (int)std::lround(0.62 * face.height);
    cv::Rect region = cv::Rect(face.x, top, face.width, bottom - top) & cv::Rect(0, 0, image.cols, image.rows);
    if (region.width < 4 || region.height < 4) return result;

    // The eye cascade's smallest window is 20x20, so small faces are upscaled first
    // (and large ones shrunk, which keeps the search fast and the eye size predictable).
    double scale = (double)params.eye_region_width / region.width;
    cv::Mat patch;
    // No histogram equalisation: on the sample photo it turned a real eye into a miss and a
    // cheek into a hit.
    cv::resize(image(region), patch, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);

    std::vector<cv::Rect> boxes;
    // Eyes span about a fifth of the face width: searching only 1/12..2/5 of it saves pyramid levels.
    int minEye = std::max(20, patch.cols / 12), maxEye = std::max(minEye + 1, patch.cols * 2 / 5);
    detector.eye.detectMultiScale(patch, boxes, params.eye_scale_factor, params.eye_min_neighbors, 0,
                                  cv::Size(minEye, minEye), cv::Size(maxEye, maxEye));
    result.candidates = (int)boxes.size();

    // Candidate centres as fractions of the face box.
    struct Centre { double u, v, side; };
    std::vector<Centre> centres;
    for (const auto &b : boxes) {
        double x = region.x + (b.x + b.width * 0.5) / scale;
        double y = region.y + (b.y + b.height * 0.5) / scale;
        centres.push_back({(x - face.x) / face.width, (y - face.y) / face.height, b.width / scale});
    }

    // Choose the pair nearest the expected eye positions; the biggest boxes are often temples or brows.
    double best = 1e9;
    for (size_t i = 0; i < centres.size(); ++i) {
        for (size_t j = 0; j < centres.size(); ++j) {
            const Centre &l = centres[i], &r = centres[j];
            if (i == j || l.u >= r.u) continue;
            double du = r.u - l.u, dv = r.v - l.v;
            if (du < 0.2 || du > 0.8) continue;                 // implausible eye distance
            if (std::fabs(std::atan2(dv, du)) > 35.0 * M_PI / 180.0) continue;  // too steep an eye line
            double sizeRatio = std::max(l.side, r.side) / std::min(l.side, r.side);
            if (sizeRatio > 2.0) continue;
            double cost = std::hypot(l.u - kExpectedLeftEyeX, l.v - kExpectedEyeY) +
                          std::hypot(r.u - kExpectedRightEyeX, r.v - kExpectedEyeY);
            if (cost < best) {
                best = cost;
                result.found = 1;
                result.left_x = face.x + l.u * face.width;
                result.left_y = face.y + l.v * face.height;
                result.right_x = face.x + r.u * face.width;
                result.right_y = face.y + r.v * face.height;
            }
        }
    }
    return result;
}

}  // namespace cvision

extern "C" cv_detector *cv_detector_create(const char *face_cascade_path, const char *eye_cascade_path, char *err,
                                           size_t err_len) {
    cv_detector *created = nullptr;
    int status = guarded(err, err_len, [&] {
        auto detector = std::make_unique<cv_detector>();
        load_cascade(detector->face, face_cascade_path, "face");
        load_cascade(detector->eye, eye_cascade_path, "eye");
        created = detector.release();
        return CV_OK;
    });
    return status == CV_OK ? created : nullptr;
}

extern "C" void cv_detector_free(cv_detector *detector) {
    try {
        delete detector;
    } catch (...) {
    }
}

extern "C" int cv_detect_faces(cv_detector *detector, const uint8_t *pixels, int width, int height,
                               const cv_detect_params *params, cv_rect *out, int max_out, int *count, char *err,
                               size_t err_len) {
    return guarded(err, err_len, [&] {
        require(detector != nullptr && pixels != nullptr && params != nullptr && count != nullptr,
                "cv_detect_faces: null argument");
        require(width > 0 && height > 0, "cv_detect_faces: empty image");
        cv::Mat image(height, width, CV_8U, const_cast<uint8_t *>(pixels));
        auto faces = cvision::find_faces(*detector, image, *params);
        *count = (int)faces.size();
        for (int i = 0; i < max_out && i < (int)faces.size(); ++i)
            out[i] = cv_rect{faces[i].x, faces[i].y, faces[i].width, faces[i].height};
        return CV_OK;
    });
}

extern "C" int cv_detect_eyes(cv_detector *detector, const uint8_t *pixels, int width, int height, cv_rect face,
                              const cv_detect_params *params, cv_eyes *out, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        require(detector != nullptr && pixels != nullptr && params != nullptr && out != nullptr,
                "cv_detect_eyes: null argument");
        require(width > 0 && height > 0, "cv_detect_eyes: empty image");
        require(face.width > 0 && face.height > 0, "cv_detect_eyes: empty face box");
        cv::Mat image(height, width, CV_8U, const_cast<uint8_t *>(pixels));
        *out = cvision::find_eyes(*detector, image, cv::Rect(face.x, face.y, face.width, face.height), *params);
        return CV_OK;
    });
}
