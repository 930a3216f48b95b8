// Internal: the one single-face alignment routine, shared by cv_align_face and cv_align_faces.
#pragma once
#include "CVision.h"
#include "detector.hpp"
#include <opencv2/core.hpp>
#include <vector>

namespace cvision {

/// Checks alignment settings (and their detector settings' ranges) once, before any image.
void check_align_params(const cv_align_params &p);

/// Detects, levels, scales and crops the main face of `image` into `crop` (p.size x p.size):
/// what cv_align_face does, on any cv::Mat (a cut-out of a larger photo included).
void align_one(cv_detector *detector, const cv::Mat &image, const cv_align_params &p, cv::Mat &crop,
               cv_align_result &result);

/// Upright faces in `image`, largest first, at most `max`, in input pixels: the search align_one
/// starts with (the same upsampling of small images and the same detector settings).
std::vector<cv::Rect> upright_faces(cv_detector &detector, const cv::Mat &image, const cv_align_params &p, int max);

}  // namespace cvision
