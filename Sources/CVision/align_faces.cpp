// Every face in a photo (prediction on group photos), each aligned by the single-face routine
// align_one on a cut-out around it, so a face in a group photo is cropped as training cropped it.
#include "CVision.h"
#include "align.hpp"
#include "guard.hpp"
#include <algorithm>
#include <cmath>
#include <memory>

using cvision::guarded;
using cvision::require;

struct cv_face_list {
    std::vector<cv::Mat> crops;
    std::vector<cv_align_result> results;
};

namespace {

/// One aligned face: the crop and what was found, in input pixels.
struct Face {
    cv::Mat crop;
    cv_align_result r{};
};

bool contains(const cv_rect &b, int x, int y) { return x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height; }

/// Whether either box's centre lies inside the other (the detector reports one face twice with
/// boxes of slightly different sizes).
bool overlaps(const cv_rect &a, const cv_rect &b) {
    return contains(a, b.x + b.width / 2, b.y + b.height / 2) || contains(b, a.x + a.width / 2, a.y + a.height / 2);
}

/// Whether the face found lies over `box` (its centre inside the box).
bool centred(const Face &f, const cv_rect &box) {
    const cv_rect &g = f.r.face;
    return f.r.face_found && contains(box, g.x + g.width / 2, g.y + g.height / 2);
}

bool overlaps_any(const std::vector<Face> &kept, const cv_rect &box) {
    return std::any_of(kept.begin(), kept.end(), [&](const Face &k) { return overlaps(k.r.face, box); });
}

Face align_image(cv_detector *detector, const cv::Mat &image, const cv_align_params &p,
                 const std::vector<cv::Rect> *upright = nullptr) {
    Face f{cv::Mat(p.size, p.size, CV_8U)};
    cvision::align_one(detector, image, p, f.crop, f.r, upright);
    return f;
}

/// align_one on the cut-out of `box` grown by `margin` box widths per side, in input pixels.
/// The cut-out keeps neighbouring faces from being chosen instead. `upright`: the photo's own
/// upright search (upright_faces' `searched`), reused when the cut-out is the whole photo.
Face align_around(cv_detector *detector, const cv::Mat &image, const cv_rect &box, double margin,
                  const cv_align_params &p, const std::vector<cv::Rect> &upright) {
    int pad = (int)std::lround(box.width * margin);
    int x0 = std::max(0, box.x - pad), y0 = std::max(0, box.y - pad);
    int x1 = std::min(image.cols, box.x + box.width + pad), y1 = std::min(image.rows, box.y + box.height + pad);
    // A cut-out that is the whole photo would repeat the photo's search exactly.
    bool whole = x0 == 0 && y0 == 0 && x1 == image.cols && y1 == image.rows;
    // A copy, not a view, so the search sees exactly the cut-out's pixels.
    Face f = align_image(detector, image(cv::Rect(x0, y0, x1 - x0, y1 - y0)).clone(), p, whole ? &upright : nullptr);
    if (f.r.face_found) {
        f.r.face.x += x0, f.r.face.y += y0;
        f.r.eyes.left_x += x0, f.r.eyes.left_y += y0, f.r.eyes.right_x += x0, f.r.eyes.right_y += y0;
    }
    return f;
}

/// Every face, largest first. With detection off: the centre square, reported as the face box
/// (the model was trained on centre squares). When the upright search finds nothing, the whole
/// image goes through align_one (which also tries turned copies). A detected face that its
/// cut-out's search does not find again comes back with face_found = 0, its box and no eyes,
/// so no detected face vanishes.
std::vector<Face> align_faces(cv_detector *detector, const cv::Mat &image, const cv_align_params &p, double margin,
                              int max, bool from_detection) {
    std::vector<Face> kept;
    if (!p.detect) {
        Face whole = align_image(detector, image, p);
        int side = std::min(image.cols, image.rows);
        whole.r.face = cv_rect{(image.cols - side) / 2, (image.rows - side) / 2, side, side};
        return {whole};
    }
    require(detector != nullptr, "cv_align_faces: detection is on but the detector is null");
    std::vector<cv::Rect> upright;
    std::vector<cv::Rect> boxes = cvision::upright_faces(*detector, image, p, max, &upright);
    if (boxes.empty()) {
        // Its upright search is the one just done (it found nothing): only turned copies are searched.
        Face whole = align_image(detector, image, p, &upright);
        if (whole.r.face_found) kept.push_back(whole);
        return kept;
    }
    for (size_t i = 0; i < boxes.size(); ++i) {
        cv_rect box{boxes[i].x, boxes[i].y, boxes[i].width, boxes[i].height};
        if (overlaps_any(kept, box)) continue;
        Face face{cv::Mat(p.size, p.size, CV_8U)};
        // upright[i] is boxes[i] in the search's pixels.
        if (from_detection && cvision::align_detected(*detector, image, p, upright[i], face.crop, face.r)) {
            kept.push_back(face);
            continue;
        }
        face = align_around(detector, image, box, margin, p, upright);
        // A neighbour inside the margin can win the cut-out's search: then retry with a tight cut.
        if (!centred(face, box)) face = align_around(detector, image, box, 0.15, p, upright);
        if (!centred(face, box)) {
            face.r.face_found = 0, face.r.eyes_found = 0;
            face.r.face = box;
            face.r.eyes = cv_eyes{};
        }
        // The face found can be one already kept, found again from another box.
        if (overlaps_any(kept, face.r.face)) continue;
        kept.push_back(face);
    }
    for (Face &f : kept) f.r.faces = (int)kept.size();
    return kept;
}

}  // namespace

extern "C" int cv_align_faces(cv_detector *detector, const uint8_t *pixels, int width, int height,
                              const cv_align_params *params, double margin, int max_faces, int from_detection,
                              cv_face_list **out, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        require(pixels != nullptr && params != nullptr && out != nullptr, "cv_align_faces: null argument");
        require(width > 0 && height > 0, "cv_align_faces: empty image");
        require(max_faces >= 1, "cv_align_faces: max_faces must be >= 1");
        require(margin >= 0, "cv_align_faces: margin must be >= 0");
        *out = nullptr;
        cvision::check_align_params(*params);
        cv::Mat image(height, width, CV_8U, const_cast<uint8_t *>(pixels));
        auto list = std::make_unique<cv_face_list>();
        for (Face &f : align_faces(detector, image, *params, margin, max_faces, from_detection != 0)) {
            list->crops.push_back(f.crop);
            list->results.push_back(f.r);
        }
        *out = list.release();
        return CV_OK;
    });
}

extern "C" int cv_face_list_count(const cv_face_list *list) { return list ? (int)list->results.size() : 0; }

extern "C" int cv_face_list_get(const cv_face_list *list, int index, uint8_t *crop, cv_align_result *result) {
    if (list == nullptr || crop == nullptr || result == nullptr) return CV_ERR_ARG;
    if (index < 0 || index >= (int)list->results.size()) return CV_ERR_ARG;
    const cv::Mat &c = list->crops[index];
    std::copy(c.data, c.data + c.total(), crop);
    *result = list->results[index];
    return CV_OK;
}

extern "C" void cv_face_list_free(cv_face_list *list) {
    try {
        delete list;
    } catch (...) {
    }
}
