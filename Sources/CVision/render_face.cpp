// Skin, ears, eyes, brows, nose and mouth of the synthetic face.
#include "render_internal.hpp"
#include <cmath>

namespace cvr {

static cv::Point2f lerp(cv::Point2f a, cv::Point2f b, float t) { return a + (b - a) * t; }

void drawHead(Ctx &c) {
    const float skin = c.skinGray;
    // Ears first: the face polygon hides the half of each ear that sits behind the cheek.
    for (int e = 0; e < 2; e++) {
        int base = e == 0 ? CVR_EAR_R : CVR_EAR_L;
        int root = e == 0 ? CVR_JAW + 1 : CVR_JAW + 15;
        cv::Point2f top = c.P(base), mid = c.P(base + 1), lobe = c.P(base + 2), r = c.P(root);
        cv::Point2f rootTop = c.P(e == 0 ? CVR_JAW : CVR_JAW + 16);
        std::vector<cv::Point2f> ear = catmullRom({rootTop, top, mid, lobe, r}, true, 5);
        fillPoly(c, ear, skin * 0.93f);
        std::vector<cv::Point2f> inner = catmullRom({lerp(rootTop, top, 0.6f), lerp(r, mid, 0.55f),
                                                     lerp(r, lobe, 0.5f)}, false, 4);
        polyline(c, inner, false, skin * 0.7f, 0.03f * c.iod);
    }
    // Face and scalp as one skin polygon: jaw from temple to temple, back over the crown.
    std::vector<cv::Point2f> head = c.pts(CVR_JAW, 17);
    for (int i = 8; i >= 0; i--) head.push_back(c.P(CVR_SKULL + i));
    fillPoly(c, catmullRom(head, true, 3), skin);
    // Blotchy skin texture: low-frequency noise blended over the face bounding box.
    if (c.f.texture > 0.02f) {
        int spots = 6 + (int)(c.f.texture * 30);
        std::vector<std::vector<cv::Point2f>> dark, light;
        for (int i = 0; i < spots; i++) {
            int j = c.rng.uniform(0, 17);
            cv::Point2f p = lerp(c.mid, c.P(CVR_JAW + j), c.rng.uniform(0.2f, 0.95f));
            float r = c.iod * c.rng.uniform(0.04f, 0.14f);
            auto e = ellipsePts(p, c.ux * r, c.uy * (r * c.rng.uniform(0.6f, 1.2f)), 10);
            (c.rng.uniform(0.f, 1.f) < 0.5f ? dark : light).push_back(e);
        }
        blendPolys(c, dark, skin - 35.0f, 0.18f * c.f.texture);
        blendPolys(c, light, skin + 35.0f, 0.18f * c.f.texture);
    }
}

void drawEyes(Ctx &c) {
    const float skin = c.skinGray;
    for (int e = 0; e < 2; e++) {
        int base = e == 0 ? CVR_EYE_R : CVR_EYE_L;
        cv::Point2f pupil = c.P(e == 0 ? CVR_PUPIL_R : CVR_PUPIL_L);
        std::vector<cv::Point2f> eye = catmullRom(c.pts(base, 6), true, 4);
        // Upper-lid crease above the eye opening, a soft darker curve.
        std::vector<cv::Point2f> upper{c.P(base + (e == 0 ? 0 : 3)), c.P(base + (e == 0 ? 1 : 2)),
                                       c.P(base + (e == 0 ? 2 : 1)), c.P(base + (e == 0 ? 3 : 0))};
        std::vector<cv::Point2f> crease;
        for (size_t i = 0; i < upper.size(); i++) {
            float lift = (i == 0 || i + 1 == upper.size()) ? 0.03f : 0.09f;
            crease.push_back(c.off(upper[i], 0, -lift));
        }
        blendLine(c, catmullRom(crease, false, 4), skin * 0.55f, 0.5f, 0.025f * c.iod);
        // Sclera, then iris and pupil clipped to the opening.
        cv::Rect r = cv::boundingRect(eye);
        r.x -= 2; r.y -= 2; r.width += 4; r.height += 4;
        r &= cv::Rect(0, 0, c.img.cols, c.img.rows);
        if (r.width <= 0 || r.height <= 0) continue;
        float sclera = std::min(235.0f, skin * 0.75f + 45.0f);
        fillPoly(c, eye, sclera);
        cv::Mat roi = c.img(r), layer = roi.clone(), mask = cv::Mat::zeros(r.size(), CV_8UC1);
        std::vector<std::vector<cv::Point>> poly(1);
        for (auto &p : eye) poly[0].emplace_back(cvRound((p.x - r.x) * 8), cvRound((p.y - r.y) * 8));
        cv::fillPoly(mask, poly, cv::Scalar(255), cv::LINE_8, 3);
        cv::Point2f pc = pupil - cv::Point2f((float)r.x, (float)r.y);
        float irisR = 0.115f * c.iod;
        float iris = 25.0f + (1.0f - c.f.irisDark) * 100.0f;
        cv::circle(layer, cv::Point(cvRound(pc.x * 8), cvRound(pc.y * 8)), cvRound(irisR * 8),
                   cv::Scalar(iris), -1, cv::LINE_AA, 3);
        cv::circle(layer, cv::Point(cvRound(pc.x * 8), cvRound(pc.y * 8)), cvRound(irisR * 8),
                   cv::Scalar(iris * 0.6f), std::max(1, cvRound(0.02f * c.iod)), cv::LINE_AA, 3);
        cv::circle(layer, cv::Point(cvRound(pc.x * 8), cvRound(pc.y * 8)), cvRound(irisR * 0.45f * 8),
                   cv::Scalar(12), -1, cv::LINE_AA, 3);
        cv::Point2f glint = pc + (c.ux * -0.35f + c.uy * -0.35f) * irisR;
        cv::circle(layer, cv::Point(cvRound(glint.x * 8), cvRound(glint.y * 8)), cvRound(irisR * 0.22f * 8),
                   cv::Scalar(235), -1, cv::LINE_AA, 3);
        layer.copyTo(roi, mask);
        // Lashes along the upper lid, a thin lower lid line.
        polyline(c, catmullRom(upper, false, 4), false, 20.0f, 0.055f * c.iod);
        std::vector<cv::Point2f> lower{c.P(base + 3), c.P(base + 4), c.P(base + 5), c.P(base)};
        blendLine(c, catmullRom(lower, false, 4), skin * 0.5f, 0.6f, 0.02f * c.iod);
    }
}

void drawBrows(Ctx &c) {
    const float dark = c.skinGray * (1.0f - 0.75f * c.f.browDark) - 10.0f * c.f.browDark;
    for (int b = 0; b < 2; b++) {
        std::vector<cv::Point2f> p = c.pts(b == 0 ? CVR_BROW_R : CVR_BROW_L, 5);
        if (b == 1) std::reverse(p.begin(), p.end());        // both outer → inner
        std::vector<cv::Point2f> top, bottom;
        for (int i = 0; i < 5; i++) {
            float t = 0.05f + 0.06f * (float)i / 4.0f;       // thicker towards the nose
            top.push_back(c.off(p[i], 0, -t * 0.55f));
            bottom.push_back(c.off(p[i], 0, t * 0.45f));
        }
        std::vector<cv::Point2f> poly = catmullRom(top, false, 3);
        std::vector<cv::Point2f> lo = catmullRom(bottom, false, 3);
        poly.insert(poly.end(), lo.rbegin(), lo.rend());
        blendPoly(c, poly, dark, 0.5f + 0.45f * c.f.browDark);
        // Hair strokes along the brow give it texture without a hard outline.
        std::vector<std::vector<cv::Point2f>> strokes;
        for (int k = 0; k < 8; k++) {
            float t = c.rng.uniform(0.0f, 0.95f);
            int i = std::min(3, (int)(t * 4));
            float u = t * 4 - i, h = c.rng.uniform(0.25f, 0.75f);
            cv::Point2f a = lerp(lerp(bottom[i], bottom[i + 1], u), lerp(top[i], top[i + 1], u), h);
            cv::Point2f d = (i < 3 ? p[i + 1] - p[i] : p[4] - p[3]) * 0.6f;
            strokes.push_back({a, a + d * -1.0f});
        }
        blendLines(c, strokes, dark * 0.8f, 0.3f, 0.015f * c.iod);
    }
}

void drawNose(Ctx &c) {
    const float skin = c.skinGray;
    cv::Point2f wingL = c.P(CVR_NOSE_BASE), wingR = c.P(CVR_NOSE_BASE + 4), sub = c.P(CVR_NOSE_BASE + 2);
    cv::Point2f tip = c.P(CVR_NOSE_BRIDGE + 3);
    // Nostrils: dark ellipses between each wing and the columella.
    for (int k = 0; k < 2; k++) {
        cv::Point2f w = k == 0 ? wingL : wingR;
        cv::Point2f centre = lerp(w, sub, 0.5f) + c.uy * (-0.025f * c.iod);
        blendPoly(c, ellipsePts(centre, c.ux * (0.065f * c.iod), c.uy * (0.03f * c.iod), 12), skin * 0.25f, 0.85f);
    }
    // Alar creases: short arcs around each wing.
    for (int k = 0; k < 2; k++) {
        float sgn = k == 0 ? -1.0f : 1.0f;
        cv::Point2f w = k == 0 ? wingL : wingR;
        std::vector<cv::Point2f> arc{c.off(w, -sgn * 0.02f, -0.12f), c.off(w, sgn * 0.03f, -0.04f),
                                     c.off(w, sgn * 0.01f, 0.03f), c.off(w, -sgn * 0.04f, 0.05f)};
        blendLine(c, catmullRom(arc, false, 3), skin * 0.6f, 0.4f, 0.02f * c.iod);
    }
    // Tip: a faint lower outline.
    std::vector<cv::Point2f> tipLine{c.off(tip, -0.09f, 0.05f), c.off(tip, 0.0f, 0.09f), c.off(tip, 0.09f, 0.05f)};
    blendLine(c, catmullRom(tipLine, false, 3), skin * 0.7f, 0.3f, 0.02f * c.iod);
}

void drawMouth(Ctx &c) {
    const float skin = c.skinGray;
    const float lip = skin * (0.86f - 0.26f * c.f.lipDark);
    std::vector<cv::Point2f> outer = catmullRom(c.pts(CVR_LIP_OUTER, 12), true, 3);
    blendPoly(c, outer, lip, 0.9f);
    // The upper lip faces down and is darker; the lower lip catches the light.
    std::vector<cv::Point2f> upperLip = c.pts(CVR_LIP_OUTER, 7);
    for (int i = 4; i >= 0; i--) upperLip.push_back(c.P(CVR_LIP_INNER + i));
    blendPoly(c, catmullRom(upperLip, true, 2), lip * 0.88f, 0.5f);
    cv::Point2f lowMid = lerp(c.P(CVR_LIP_INNER + 6), c.P(CVR_LIP_OUTER + 9), 0.45f);
    blendPoly(c, ellipsePts(lowMid, c.ux * (0.16f * c.iod), c.uy * (0.03f * c.iod), 16), std::min(255.0f, lip * 1.25f), 0.2f);
    std::vector<cv::Point2f> innerPts = c.pts(CVR_LIP_INNER, 8);
    float open = cv::norm(c.P(CVR_LIP_INNER + 2) - c.P(CVR_LIP_INNER + 6));
    if (open > 0.02f * c.iod) {
        std::vector<cv::Point2f> inner = catmullRom(innerPts, true, 3);
        fillPoly(c, inner, 18.0f);
        // Upper teeth: a light band under the upper lip, clipped to the opening by drawing the
        // lower lip back over it.
        float teeth = std::min(open * (0.4f + 0.3f * c.f.smile), (0.06f + 0.05f * c.f.smile) * c.iod);   // smiles bare the teeth
        std::vector<cv::Point2f> band;
        for (int i = 0; i <= 4; i++) band.push_back(c.P(CVR_LIP_INNER + i));
        for (int i = 4; i >= 0; i--) band.push_back(c.P(CVR_LIP_INNER + i) + c.uy * teeth);
        cv::Rect r = cv::boundingRect(inner) & cv::Rect(0, 0, c.img.cols, c.img.rows);
        if (r.width > 0 && r.height > 0) {
            cv::Mat roi = c.img(r), layer = roi.clone(), mask = cv::Mat::zeros(r.size(), CV_8UC1);
            std::vector<std::vector<cv::Point>> m(1), t(1);
            for (auto &p : inner) m[0].emplace_back(cvRound((p.x - r.x) * 8), cvRound((p.y - r.y) * 8));
            for (auto &p : band) t[0].emplace_back(cvRound((p.x - r.x) * 8), cvRound((p.y - r.y) * 8));
            cv::fillPoly(mask, m, cv::Scalar(255), cv::LINE_8, 3);
            cv::fillPoly(layer, t, cv::Scalar(std::min(215.0f, 135.0f + skin * 0.4f)), cv::LINE_AA, 3);
            layer.copyTo(roi, mask);
        }
    }
    // The lip line: where the lips meet (or the edge of the opening), darkest at the corners.
    std::vector<cv::Point2f> line{c.P(CVR_LIP_INNER), c.P(CVR_LIP_INNER + 1), c.P(CVR_LIP_INNER + 2),
                                  c.P(CVR_LIP_INNER + 3), c.P(CVR_LIP_INNER + 4)};
    polyline(c, catmullRom(line, false, 3), false, skin * 0.38f, 0.025f * c.iod);
    for (int k = 0; k < 2; k++) {
        cv::Point2f corner = c.P(CVR_LIP_OUTER + (k == 0 ? 0 : 6));
        blendPoly(c, ellipsePts(corner, c.ux * (0.035f * c.iod), c.uy * (0.025f * c.iod), 8), skin * 0.35f, 0.6f);
    }
}

} // namespace cvr
