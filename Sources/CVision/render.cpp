// C entry point of the synthetic face renderer and the shared drawing helpers.
#include "render_internal.hpp"
#include <cmath>
#include <cstring>
#include <cstdio>

namespace cvr {

static const int kShift = 3;            // fixed-point sub-pixel bits for OpenCV drawing
static const float kScale = 1 << kShift;

Ctx::Ctx(const CVRFace &face, int w, int h, int ss) : f(face), s((float)ss), rng(face.seed ? face.seed : 1) {
    img.create(h * ss, w * ss, CV_8UC1);
    eyeR = P(CVR_PUPIL_R);
    eyeL = P(CVR_PUPIL_L);
    mid = (eyeR + eyeL) * 0.5f;
    cv::Point2f d = eyeL - eyeR;
    iod = std::sqrt(d.dot(d));
    if (iod < 1e-3f) iod = 1e-3f;
    ux = d * (1.0f / iod);
    uy = cv::Point2f(-ux.y, ux.x);
    skinGray = 45.0f + 190.0f * face.skin;
}

std::vector<cv::Point2f> Ctx::pts(int first, int count) const {
    std::vector<cv::Point2f> v;
    v.reserve(count);
    for (int i = 0; i < count; i++) v.push_back(P(first + i));
    return v;
}

std::vector<cv::Point2f> catmullRom(const std::vector<cv::Point2f> &p, bool closed, int per) {
    const int n = (int)p.size();
    std::vector<cv::Point2f> out;
    if (n < 3) return p;
    const int segs = closed ? n : n - 1;
    out.reserve(segs * per + 1);
    auto at = [&](int i) {
        if (closed) return p[(i % n + n) % n];
        return p[i < 0 ? 0 : (i >= n ? n - 1 : i)];
    };
    for (int i = 0; i < segs; i++) {
        cv::Point2f p0 = at(i - 1), p1 = at(i), p2 = at(i + 1), p3 = at(i + 2);
        for (int k = 0; k < per; k++) {
            float t = (float)k / per, t2 = t * t, t3 = t2 * t;
            out.push_back(0.5f * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 +
                                  (-p0 + 3 * p1 - 3 * p2 + p3) * t3));
        }
    }
    if (!closed) out.push_back(p[n - 1]);
    return out;
}

static std::vector<cv::Point> fixedPoint(const std::vector<cv::Point2f> &p) {
    std::vector<cv::Point> q;
    q.reserve(p.size());
    for (auto &v : p) q.emplace_back(cvRound(v.x * kScale), cvRound(v.y * kScale));
    return q;
}

void fillPoly(Ctx &c, const std::vector<cv::Point2f> &p, float gray) {
    if (p.size() < 3) return;
    std::vector<std::vector<cv::Point>> polys{fixedPoint(p)};
    cv::fillPoly(c.img, polys, cv::Scalar(clamp255(gray)), cv::LINE_AA, kShift);
}

void polyline(Ctx &c, const std::vector<cv::Point2f> &p, bool closed, float gray, float thickness) {
    if (p.size() < 2) return;
    std::vector<std::vector<cv::Point>> polys{fixedPoint(p)};
    cv::polylines(c.img, polys, closed, cv::Scalar(clamp255(gray)), std::max(1, cvRound(thickness)),
                  cv::LINE_AA, kShift);
}

static cv::Rect boundsOf(const Ctx &c, const std::vector<cv::Point2f> &p, float pad) {
    cv::Rect r = cv::boundingRect(p);
    int ip = (int)std::ceil(pad) + 2;
    r.x -= ip; r.y -= ip; r.width += 2 * ip; r.height += 2 * ip;
    return r & cv::Rect(0, 0, c.img.cols, c.img.rows);
}

static void blendWith(Ctx &c, const std::vector<cv::Point2f> &p, float alpha, float pad,
                      void (*draw)(cv::Mat &, const std::vector<std::vector<cv::Point>> &, float, float),
                      float gray, float thickness) {
    if (p.size() < 2 || alpha <= 0.004f) return;
    cv::Rect r = boundsOf(c, p, pad);
    if (r.width <= 0 || r.height <= 0) return;
    cv::Mat roi = c.img(r);
    cv::Mat layer = roi.clone();
    std::vector<cv::Point> q;
    for (auto &v : p) q.emplace_back(cvRound((v.x - r.x) * kScale), cvRound((v.y - r.y) * kScale));
    draw(layer, {q}, gray, thickness);
    cv::addWeighted(roi, 1.0 - std::min(alpha, 1.0f), layer, std::min(alpha, 1.0f), 0.0, roi);
}

void blendPoly(Ctx &c, const std::vector<cv::Point2f> &p, float gray, float alpha) {
    if (p.size() < 3) return;
    blendWith(c, p, alpha, 0, [](cv::Mat &m, const std::vector<std::vector<cv::Point>> &q, float g, float) {
        cv::fillPoly(m, q, cv::Scalar(clamp255(g)), cv::LINE_AA, kShift);
    }, gray, 0);
}

void blendLine(Ctx &c, const std::vector<cv::Point2f> &p, float gray, float alpha, float thickness) {
    blendWith(c, p, alpha, thickness, [](cv::Mat &m, const std::vector<std::vector<cv::Point>> &q, float g, float t) {
        cv::polylines(m, q, false, cv::Scalar(clamp255(g)), std::max(1, cvRound(t)), cv::LINE_AA, kShift);
    }, gray, thickness);
}

static void blendMany(Ctx &c, const std::vector<std::vector<cv::Point2f>> &shapes, float gray, float alpha,
                      float thickness, bool fill) {
    if (shapes.empty() || alpha <= 0.004f) return;
    std::vector<cv::Point2f> all;
    for (auto &s : shapes) all.insert(all.end(), s.begin(), s.end());
    if (all.size() < 2) return;
    cv::Rect r = boundsOf(c, all, thickness);
    if (r.width <= 0 || r.height <= 0) return;
    cv::Mat roi = c.img(r), layer = roi.clone();
    std::vector<std::vector<cv::Point>> q;
    for (auto &s : shapes) {
        q.emplace_back();
        for (auto &v : s) q.back().emplace_back(cvRound((v.x - r.x) * kScale), cvRound((v.y - r.y) * kScale));
    }
    if (fill) cv::fillPoly(layer, q, cv::Scalar(clamp255(gray)), cv::LINE_AA, kShift);
    else cv::polylines(layer, q, false, cv::Scalar(clamp255(gray)), std::max(1, cvRound(thickness)), cv::LINE_AA, kShift);
    cv::addWeighted(roi, 1.0 - std::min(alpha, 1.0f), layer, std::min(alpha, 1.0f), 0.0, roi);
}

void blendLines(Ctx &c, const std::vector<std::vector<cv::Point2f>> &lines, float gray, float alpha, float thickness) {
    blendMany(c, lines, gray, alpha, thickness, false);
}

void blendPolys(Ctx &c, const std::vector<std::vector<cv::Point2f>> &polys, float gray, float alpha) {
    blendMany(c, polys, gray, alpha, 0, true);
}

std::vector<cv::Point2f> ellipsePts(cv::Point2f centre, cv::Point2f a1, cv::Point2f a2, int n) {
    std::vector<cv::Point2f> v;
    v.reserve(n);
    for (int i = 0; i < n; i++) {
        float t = (float)(2 * CV_PI * i / n);
        v.push_back(centre + a1 * std::cos(t) + a2 * std::sin(t));
    }
    return v;
}

} // namespace cvr

static void setError(char *err, int errLen, const char *msg) {
    if (err && errLen > 0) std::snprintf(err, (size_t)errLen, "%s", msg);
}

extern "C" int cvr_render_face(const CVRFace *face, int width, int height, int supersample,
                               float *out, char *err, int errLen) {
    if (!face || !out) { setError(err, errLen, "cvr_render_face: null face or output buffer"); return -1; }
    if (width < 8 || height < 8 || width > 4096 || height > 4096) {
        setError(err, errLen, "cvr_render_face: output size must be 8...4096 pixels per side");
        return -1;
    }
    if (supersample < 1 || supersample > 8) {
        setError(err, errLen, "cvr_render_face: supersample must be 1...8");
        return -1;
    }
    // Landmarks far outside the image (or NaN) would overflow OpenCV's fixed-point drawing.
    const float limit = 16.0f * (float)std::max(width, height);
    for (int i = 0; i < CVR_LANDMARK_COUNT; i++) {
        if (!(std::fabs(face->x[i]) < limit && std::fabs(face->y[i]) < limit)) {
            char msg[160];
            std::snprintf(msg, sizeof msg, "cvr_render_face: landmark %d at (%g, %g) is not finite or lies far outside "
                          "the %dx%d image", i, (double)face->x[i], (double)face->y[i], width, height);
            setError(err, errLen, msg);
            return -1;
        }
    }
    try {
        cvr::Ctx c(*face, width, height, supersample);
        cvr::drawBackground(c);
        cvr::drawBackHair(c);
        if (face->body) cvr::drawBody(c);
        cvr::drawHead(c);
        cvr::drawWrinkles(c);
        cvr::drawEyes(c);
        cvr::drawBrows(c);
        cvr::drawNose(c);
        cvr::drawFacialHair(c);
        cvr::drawMouth(c);
        cvr::drawMoustache(c);
        cvr::drawFrontHair(c);
        cvr::applyShading(c);
        cvr::drawGlasses(c);
        cvr::drawOccluder(c);

        cv::Mat small;
        if (supersample > 1) cv::resize(c.img, small, cv::Size(width, height), 0, 0, cv::INTER_AREA);
        else small = c.img;
        cv::Mat result(height, width, CV_32FC1, out);
        // Camera: contrast and brightness around mid grey, optics blur, then sensor noise.
        small.convertTo(result, CV_32F, face->contrast, 128.0 * (1.0 - face->contrast) + face->brightness);
        // Lens softness: every camera blurs a little (0.3 output pixels), some much more.
        float sigma = std::sqrt(0.09f + face->blur * face->blur);
        cv::GaussianBlur(result, result, cv::Size(0, 0), sigma);
        if (face->noise > 0.0f) {
            cv::Mat n(height, width, CV_32FC1);
            c.rng.fill(n, cv::RNG::NORMAL, 0.0, face->noise);
            result += n;
        }
        cv::max(result, cv::Scalar(0.0), result);
        cv::min(result, cv::Scalar(255.0), result);
        return 0;
    } catch (const cv::Exception &e) {
        setError(err, errLen, e.what());
    } catch (const std::exception &e) {
        setError(err, errLen, e.what());
    } catch (...) {
        setError(err, errLen, "cvr_render_face: unknown C++ exception");
    }
    return -1;
}
