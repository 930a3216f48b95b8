// Internal: the cascade pair behind cv_detector and the detection steps align.cpp reuses.
#pragma once
#include "CVision.h"
#include <opencv2/objdetect.hpp>
#include <vector>

struct cv_detector {
    cv::CascadeClassifier face;
    cv::CascadeClassifier eye;
};

namespace cvision {

/// Faces in `image`, largest first.
std::vector<cv::Rect> find_faces(cv_detector &detector, const cv::Mat &image, const cv_detect_params &params);

/// The eye pair nearest the expected positions inside `face`, in image coordinates.
cv_eyes find_eyes(cv_detector &detector, const cv::Mat &image, const cv::Rect &face, const cv_detect_params &params);

// Where a Haar frontal-face box puts the eyes, as fractions of the box (used both to
// choose among eye candidates and as the fallback when no pair is found).
constexpr double kExpectedLeftEyeX = 0.30;
constexpr double kExpectedRightEyeX = 0.70;
constexpr double kExpectedEyeY = 0.38;

}  // namespace cvision
