// Internal helpers shared by the render*.cpp files (not part of the C API).
#pragma once
#include "CVisionRender.h"
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace cvr {

/// Drawing state for one face: the hi-res canvas, scaled landmarks and a face-aligned frame.
struct Ctx {
    const CVRFace &f;
    cv::Mat img;              // CV_8UC1, supersampled canvas
    float s;                  // supersample factor
    cv::RNG rng;
    cv::Point2f eyeR, eyeL;   // pupils (image-left, image-right), hi-res px
    cv::Point2f mid;          // between the eyes
    cv::Point2f ux, uy;       // unit vectors along the eye line (right) and down the face
    float iod;                // inter-ocular distance in hi-res px
    float skinGray;           // 0...255

    Ctx(const CVRFace &face, int w, int h, int ss);
    // Output pixel centres sit at integer coordinates, at every resolution.
    cv::Point2f P(int i) const { return {(f.x[i] + 0.5f) * s - 0.5f, (f.y[i] + 0.5f) * s - 0.5f}; }
    /// A point offset from `p` by (dx, dy) inter-ocular units in the face frame.
    cv::Point2f off(cv::Point2f p, float dx, float dy) const { return p + ux * (dx * iod) + uy * (dy * iod); }
    std::vector<cv::Point2f> pts(int first, int count) const;
};

std::vector<cv::Point2f> catmullRom(const std::vector<cv::Point2f> &p, bool closed, int perSegment);
void fillPoly(Ctx &c, const std::vector<cv::Point2f> &p, float gray);
void polyline(Ctx &c, const std::vector<cv::Point2f> &p, bool closed, float gray, float thickness);
/// Fills a polygon blended with the canvas at opacity `alpha` (work limited to its bounding box).
void blendPoly(Ctx &c, const std::vector<cv::Point2f> &p, float gray, float alpha);
void blendLine(Ctx &c, const std::vector<cv::Point2f> &p, float gray, float alpha, float thickness);
/// Many strokes or shapes at one opacity with a single blend (much cheaper than one blend each).
void blendLines(Ctx &c, const std::vector<std::vector<cv::Point2f>> &lines, float gray, float alpha, float thickness);
void blendPolys(Ctx &c, const std::vector<std::vector<cv::Point2f>> &polys, float gray, float alpha);
std::vector<cv::Point2f> ellipsePts(cv::Point2f centre, cv::Point2f ax1, cv::Point2f ax2, int n);
inline float clamp255(float v) { return v < 0 ? 0 : (v > 255 ? 255 : v); }

// Passes, in drawing order.
void drawBackground(Ctx &c);
void drawBody(Ctx &c);
void drawBackHair(Ctx &c);
void drawHead(Ctx &c);
void drawEyes(Ctx &c);
void drawBrows(Ctx &c);
void drawNose(Ctx &c);
void drawMouth(Ctx &c);
void drawWrinkles(Ctx &c);
void drawFacialHair(Ctx &c);
void drawMoustache(Ctx &c);
void drawFrontHair(Ctx &c);
void drawGlasses(Ctx &c);
void applyShading(Ctx &c);
void drawOccluder(Ctx &c);

} // namespace cvr
