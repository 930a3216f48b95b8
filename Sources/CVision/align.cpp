// Face location normalisation (paper section 3.3): detect, level the eye line,
// scale to a constant eye distance, crop N x N.
#include "CVision.h"
#include "align.hpp"
#include "detector.hpp"
#include "guard.hpp"
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <cmath>

using cvision::guarded;
using cvision::require;

namespace {

void check_params(const cv_align_params &p) {
    require(p.size >= 4 && p.size <= 4096, "output size must be in 4...4096, got " + std::to_string(p.size));
    require(p.eye_distance > 0 && p.eye_distance < 1, "eye distance must be a fraction of the size in (0, 1)");
    require(p.eye_row > 0 && p.eye_row < 1, "eye row must be a fraction of the size in (0, 1)");
    require(p.upsample_below >= 0, "upsample threshold must be >= 0");
    require(p.tilt_search >= 0 && p.tilt_search < 90, "tilt search must be in [0, 90) degrees");
}

/// The centre square of the image resized to N: the output when detection is off or finds nothing.
void centre_square(const cv::Mat &image, cv::Mat &out) {
    int side = std::min(image.cols, image.rows);
    cv::Rect square((image.cols - side) / 2, (image.rows - side) / 2, side, side);
    cv::resize(image(square), out, out.size(), 0, 0, side > out.cols ? cv::INTER_AREA : cv::INTER_LINEAR);
}

/// Maps `centre` to (N/2, eyeRow*N), rotating by `degrees` and scaling by `scale`.
/// Large shrink factors warp to an intermediate k*N image and area-average down, avoiding aliasing.
void warp_face(const cv::Mat &image, cv::Point2d centre, double degrees, double scale,
               const cv_align_params &p, cv::Mat &out) {
    int k = std::max(1, std::min(4, (int)std::floor(1.0 / scale)));
    int side = p.size * k;
    cv::Mat m = cv::getRotationMatrix2D(cv::Point2f((float)centre.x, (float)centre.y), degrees, scale * k);
    m.at<double>(0, 2) += side * 0.5 - centre.x;
    m.at<double>(1, 2) += side * p.eye_row - centre.y;
    if (k == 1) {
        cv::warpAffine(image, out, m, out.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    } else {
        cv::Mat large;
        cv::warpAffine(image, large, m, cv::Size(side, side), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        cv::resize(large, out, out.size(), 0, 0, cv::INTER_AREA);
    }
}

/// A face found in a (possibly turned) copy of the working image, with the map back to it.
struct Sighting {
    bool face = false, eyes = false;
    int faces = 0;
    double angle = 0;
    cv::Rect box;
    cv_eyes eye{};
    cv::Mat back;  // 2x3 affine: turned frame -> working image

    cv::Point2d map(double x, double y) const {
        return {back.at<double>(0, 0) * x + back.at<double>(0, 1) * y + back.at<double>(0, 2),
                back.at<double>(1, 0) * x + back.at<double>(1, 1) * y + back.at<double>(1, 2)};
    }
};

/// Looks for a face with an eye pair in `work` turned by `angle` degrees; `known`: the faces the
/// upright search finds, when already found.
Sighting search(cv_detector &detector, const cv::Mat &work, double angle, const cv_detect_params &params,
                const std::vector<cv::Rect> *known) {
    Sighting s;
    s.angle = angle;
    cv::Mat frame = work;
    s.back = (cv::Mat_<double>(2, 3) << 1, 0, 0, 0, 1, 0);
    if (angle != 0) {
        cv::Point2f centre((work.cols - 1) * 0.5f, (work.rows - 1) * 0.5f);
        cv::Mat turn = cv::getRotationMatrix2D(centre, angle, 1.0);
        // Into a buffer of its own: `frame` shares `work`'s pixels (often the caller's image), and
        // warping into it would turn them, so the next search and the final crop saw a turned image.
        cv::Mat turned;
        cv::warpAffine(work, turned, turn, work.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        frame = turned;
        cv::invertAffineTransform(turn, s.back);
    }
    std::vector<cv::Rect> faces = angle == 0 && known ? *known : cvision::find_faces(detector, frame, params);
    s.faces = (int)faces.size();
    if (faces.empty()) return s;
    s.face = true;
    s.box = faces.front();
    // A false face (a logo, a shirt fold) can outsize the real one: prefer a face with eyes.
    for (size_t i = 0; i < faces.size() && i < 3; ++i) {
        cv_eyes eyes = cvision::find_eyes(detector, frame, faces[i], params);
        if (eyes.found) {
            s.eyes = true;
            s.box = faces[i];
            s.eye = eyes;
            break;
        }
    }
    return s;
}

/// The image detection runs on: small inputs upsampled, with detector settings to match.
struct Working {
    cv::Mat image;
    double up = 1.0;  // working pixels per input pixel
    cv_detect_params detect;
};

Working prepare(const cv::Mat &image, const cv_align_params &p) {
    Working w{image, 1.0, p.detect_params};
    // Small inputs (FER2013 is 48x48) are below the cascade's useful range: upsample first.
    int shorter = std::min(image.cols, image.rows);
    if (shorter < p.upsample_below) {
        w.up = (double)p.upsample_below / shorter;
        cv::resize(image, w.image, cv::Size(), w.up, w.up, cv::INTER_LINEAR);
    }
    // An input small enough to need upsampling is a face crop (FER2013): its face fills most of
    // the frame, so small windows are skipped, which removes the costliest pyramid levels.
    if (w.up > 1.0)
        w.detect.face_min_size = std::max(w.detect.face_min_size, (int)(0.35 * std::min(w.image.cols, w.image.rows)));
    return w;
}

/// The sighting alignment uses: upright first; Haar cascades tolerate only ~10 degrees of tilt, so
/// turned copies follow. The first face with an eye pair wins, else the first face seen.
Sighting locate(cv_detector &detector, const Working &w, const cv_align_params &p,
                const std::vector<cv::Rect> *upright) {
    Sighting chosen;
    std::vector<double> angles{0.0};
    if (p.tilt_search > 0) angles.insert(angles.end(), {-p.tilt_search, p.tilt_search});
    for (double angle : angles) {
        Sighting s = search(detector, w.image, angle, w.detect, upright);
        if (s.face && !chosen.face) chosen = s;
        if (s.eyes) {
            chosen = s;
            break;
        }
    }
    return chosen;
}

/// Fills `result` from the chosen sighting and warps the face into `crop`.
void place(const cv::Mat &image, const Sighting &chosen, double up, const cv_align_params &p, cv::Mat &crop,
           cv_align_result &result) {
    // Eye positions in the turned frame (detected, or implied by the face box), mapped back to input pixels.
    const cv::Rect &f = chosen.box;
    double lx = f.x + cvision::kExpectedLeftEyeX * f.width, ly = f.y + cvision::kExpectedEyeY * f.height;
    double rx = f.x + cvision::kExpectedRightEyeX * f.width, ry = ly;
    if (chosen.eyes) {
        lx = chosen.eye.left_x, ly = chosen.eye.left_y, rx = chosen.eye.right_x, ry = chosen.eye.right_y;
    }
    cv::Point2d left = chosen.map(lx, ly) / up, right = chosen.map(rx, ry) / up;
    cv::Point2d centre = chosen.map(f.x + f.width * 0.5, f.y + f.height * 0.5) / up;
    double fw = f.width / up, fh = f.height / up;

    result.faces = chosen.faces;
    result.search_angle = chosen.angle;
    result.face_found = 1;
    result.eyes_found = chosen.eyes ? 1 : 0;
    result.face = cv_rect{(int)std::lround(centre.x - fw / 2), (int)std::lround(centre.y - fh / 2),
                          (int)std::lround(fw), (int)std::lround(fh)};
    result.eyes = cv_eyes{chosen.eyes ? 1 : 0, chosen.eye.candidates, left.x, left.y, right.x, right.y};

    double dx = right.x - left.x, dy = right.y - left.y;
    double tilt = std::atan2(dy, dx) * 180.0 / M_PI;
    result.angle_degrees = tilt;
    double eyeDistance = chosen.eyes && p.scale_by_eyes
                             ? std::hypot(dx, dy)
                             : (cvision::kExpectedRightEyeX - cvision::kExpectedLeftEyeX) * fw;
    double scale = p.eye_distance * p.size / eyeDistance;
    cv::Point2d mid((left.x + right.x) * 0.5, (left.y + right.y) * 0.5);
    warp_face(image, mid, p.level_eyes ? tilt : 0.0, scale, p, crop);
}

}  // namespace

namespace cvision {

void check_align_params(const cv_align_params &p) { check_params(p); }

void align_one(cv_detector *detector, const cv::Mat &image, const cv_align_params &p, cv::Mat &crop,
               cv_align_result &result, const std::vector<cv::Rect> *upright) {
    check_params(p);
    result = cv_align_result{};
    if (!p.detect) {
        centre_square(image, crop);
        return;
    }
    require(detector != nullptr, "cv_align_face: detection is on but the detector is null");
    Working w = prepare(image, p);
    Sighting chosen = locate(*detector, w, p, upright);
    if (!chosen.face) {
        centre_square(image, crop);
        return;
    }
    place(image, chosen, w.up, p, crop, result);
}

bool align_detected(cv_detector &detector, const cv::Mat &image, const cv_align_params &p, const cv::Rect &box,
                    cv::Mat &crop, cv_align_result &result) {
    Working w = prepare(image, p);
    Sighting s;
    s.face = true;
    s.box = box;
    s.eye = find_eyes(detector, w.image, box, w.detect);
    s.eyes = s.eye.found != 0;
    s.back = (cv::Mat_<double>(2, 3) << 1, 0, 0, 0, 1, 0);
    if (!s.eyes) return false;
    result = cv_align_result{};
    place(image, s, w.up, p, crop, result);
    return true;
}

std::vector<cv::Rect> upright_faces(cv_detector &detector, const cv::Mat &image, const cv_align_params &p, int max,
                                    std::vector<cv::Rect> *searched) {
    Working w = prepare(image, p);
    std::vector<cv::Rect> faces = find_faces(detector, w.image, w.detect);
    if (searched) *searched = faces;
    if ((int)faces.size() > max) faces.resize(max);
    if (w.up == 1.0) return faces;
    for (cv::Rect &f : faces)
        f = cv::Rect((int)std::lround(f.x / w.up), (int)std::lround(f.y / w.up), (int)std::lround(f.width / w.up),
                     (int)std::lround(f.height / w.up));
    return faces;
}

}  // namespace cvision

extern "C" int cv_align_face(cv_detector *detector, const uint8_t *pixels, int width, int height,
                             const cv_align_params *params, uint8_t *out, cv_align_result *result, char *err,
                             size_t err_len) {
    return guarded(err, err_len, [&] {
        require(pixels != nullptr && params != nullptr && out != nullptr && result != nullptr,
                "cv_align_face: null argument");
        require(width > 0 && height > 0, "cv_align_face: empty image");
        cvision::check_align_params(*params);  // before the size is used to wrap `out`
        cv::Mat image(height, width, CV_8U, const_cast<uint8_t *>(pixels));
        cv::Mat crop(params->size, params->size, CV_8U, out);
        cvision::align_one(detector, image, *params, crop, *result);
        return CV_OK;
    });
}
