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
/// what cv_align_face does, on any cv::Mat (a cut-out of a larger photo included). `upright`: the
/// faces its upright search would find in this very image (upright_faces' `searched`), when the
/// caller already has them; null: search.
void align_one(cv_detector *detector, const cv::Mat &image, const cv_align_params &p, cv::Mat &crop,
               cv_align_result &result, const std::vector<cv::Rect> *upright = nullptr);

/// Aligns the face detected upright at `box` (in the pixels of upright_faces' `searched`) from that
/// box, without searching again: its eyes are searched in it, upright. False, and nothing written,
/// when no eye pair is found there.
bool align_detected(cv_detector &detector, const cv::Mat &image, const cv_align_params &p, const cv::Rect &box,
                    cv::Mat &crop, cv_align_result &result);

/// Upright faces in `image`, largest first, at most `max`, in input pixels: the search align_one
/// starts with (the same upsampling of small images and the same detector settings). `searched`
/// (if given) receives every face found, in the search's own pixels: align_one's `upright`.
std::vector<cv::Rect> upright_faces(cv_detector &detector, const cv::Mat &image, const cv_align_params &p, int max,
                                    std::vector<cv::Rect> *searched = nullptr);

}  // namespace cvision
