// Background clutter, body, lighting and occluders around the synthetic face.
#include "render_internal.hpp"
#include <cmath>

namespace cvr {

static cv::Point2f lerp(cv::Point2f a, cv::Point2f b, float t) { return a + (b - a) * t; }

void drawBackground(Ctx &c) {
    const float base = c.f.background * 255.0f;
    c.img.setTo(cv::Scalar(clamp255(base)));
    const float W = (float)c.img.cols, H = (float)c.img.rows;
    for (int k = 0; k < c.f.clutter; k++) {
        float g = clamp255(base + c.rng.uniform(-70.0f, 70.0f));
        cv::Point2f p(c.rng.uniform(0.0f, W), c.rng.uniform(0.0f, H));
        float r = c.rng.uniform(0.05f, 0.35f) * std::max(W, H);
        switch (c.rng.uniform(0, 3)) {
        case 0: {   // a rectangle such as a door, a shelf or a window
            float a = c.rng.uniform(0.0f, 0.3f);
            cv::Point2f u(std::cos(a), std::sin(a)), v(-u.y, u.x);
            float w = r * c.rng.uniform(0.3f, 1.0f), h = r * c.rng.uniform(0.3f, 1.5f);
            fillPoly(c, {p - u * w - v * h, p + u * w - v * h, p + u * w + v * h, p - u * w + v * h}, g);
            break;
        }
        case 1:
            fillPoly(c, ellipsePts(p, {r * 0.6f, 0}, {0, r * c.rng.uniform(0.3f, 0.8f)}, 24), g);
            break;
        default: {
            cv::Point2f q(c.rng.uniform(0.0f, W), c.rng.uniform(0.0f, H));
            polyline(c, {p, q}, false, g, c.rng.uniform(0.01f, 0.05f) * std::max(W, H));
        }
        }
    }
}

void drawBody(Ctx &c) {
    const float skin = c.skinGray;
    cv::Point2f chin = c.P(CVR_JAW + 8);
    float cloth = clamp255(c.rng.uniform(20.0f, 230.0f));
    // Neck first, then the clothes over its base, then a collar seam.
    cv::Point2f a = lerp(c.P(CVR_JAW + 5), chin, 0.3f), b = lerp(c.P(CVR_JAW + 11), chin, 0.3f);
    std::vector<cv::Point2f> neck{c.off(a, 0, -0.3f), c.off(b, 0, -0.3f), c.off(b, 0.08f, 1.3f), c.off(a, -0.08f, 1.3f)};
    fillPoly(c, neck, skin * 0.9f);
    cv::Point2f shoulders = c.off(chin, 0, 2.05f);
    fillPoly(c, ellipsePts(shoulders, c.ux * (2.6f * c.iod), c.uy * (1.3f * c.iod), 40), cloth);
    std::vector<cv::Point2f> collar{c.off(chin, -1.0f, 0.95f), c.off(chin, 0, 0.8f), c.off(chin, 1.0f, 0.95f)};
    polyline(c, catmullRom(collar, false, 4), false, cloth * 0.75f, 0.06f * c.iod);
}

/// Multiplies the canvas by a low-resolution light map: a Lambert-lit head ellipsoid, the
/// darker eye sockets and mouth shadows, a lighter nose bridge, and a gradient on the background.
void applyShading(Ctx &c) {
    // The map has the output resolution (at most 128 pixels a side): light varies slowly.
    const float maxSide = 128.0f;
    float k = std::min(1.0f / c.s, maxSide / (float)std::max(c.img.cols, c.img.rows));
    int mw = std::max(8, (int)(c.img.cols * k)), mh = std::max(8, (int)(c.img.rows * k));
    float sx = (float)mw / c.img.cols, sy = (float)mh / c.img.rows;
    auto M = [&](cv::Point2f p) { return cv::Point2f(p.x * sx, p.y * sy); };
    float iodm = c.iod * sx;

    cv::Point2f L(c.f.lightX, c.f.lightY);
    float lz = 1.0f, ln = std::sqrt(L.dot(L) + lz * lz);
    float Lx = L.x / ln, Ly = L.y / ln, Lz = lz / ln, amb = c.f.ambient;
    float frontal = amb + (1 - amb) * Lz;

    // Head ellipse in map coordinates.
    cv::Point2f crown = M(c.P(CVR_SKULL + 4)), chin = M(c.P(CVR_JAW + 8));
    cv::Point2f hc = lerp(crown, chin, 0.5f);
    float hb = 0.5f * (float)cv::norm(chin - crown) * 1.05f;
    float ha = 0.5f * (float)cv::norm(M(c.P(CVR_JAW)) - M(c.P(CVR_JAW + 16))) * 1.12f;
    cv::Mat base(mh, mw, CV_32FC1);
    for (int y = 0; y < mh; y++) {
        float *row = base.ptr<float>(y);
        for (int x = 0; x < mw; x++) {
            cv::Point2f d((float)x + 0.5f - hc.x, (float)y + 0.5f - hc.y);
            float u = d.dot(c.ux) / ha, v = d.dot(c.uy) / hb;
            float r2 = u * u + v * v;
            // Background: a gentle gradient towards the light.
            float bg = 1.0f + 0.18f * ((x / (float)mw - 0.5f) * Lx * 2 + (y / (float)mh - 0.5f) * Ly * 2);
            if (r2 >= 1.0f) { row[x] = bg; continue; }
            // Image-space normal of the ellipsoid, flattened at the front like a face.
            float nx = u * 1.1f, ny = v * 0.9f, nz = std::sqrt(std::max(0.0f, 1.0f - r2));
            float nn = std::sqrt(nx * nx + ny * ny + nz * nz);
            float ix = (nx * c.ux.x + ny * c.uy.x) / nn, iy = (nx * c.ux.y + ny * c.uy.y) / nn;
            float lam = (amb + (1 - amb) * std::max(0.0f, ix * Lx + iy * Ly + nz / nn * Lz)) / frontal;
            float edge = std::min(1.0f, (1.0f - r2) * 8.0f);   // fade into the background gradient
            row[x] = lam * edge + bg * (1 - edge);
        }
    }
    // Local light and shadow, drawn into a delta map then blurred.
    cv::Mat delta = cv::Mat::zeros(mh, mw, CV_32FC1);
    auto blob = [&](cv::Point2f p, float ax, float ay, float val) {
        cv::Point2f q = M(p);
        float ang = std::atan2(c.ux.y, c.ux.x) * 180.0f / (float)CV_PI;
        cv::ellipse(delta, cv::RotatedRect(q, cv::Size2f(2 * ax * iodm, 2 * ay * iodm), ang), cv::Scalar(val), -1,
                    cv::LINE_8);
    };
    float sideBias = std::fabs(c.f.lightX);
    if (c.f.body) blob(c.off(c.P(CVR_JAW + 8), 0, 0.12f), 0.5f, 0.17f, -0.32f);     // neck under the jaw
    blob(c.off(c.P(CVR_LIP_OUTER + 9), 0, 0.1f), 0.22f, 0.07f, -0.25f);          // under the lower lip
    for (int e = 0; e < 2; e++) {
        cv::Point2f eye = e == 0 ? c.eyeR : c.eyeL;
        blob(c.off(eye, 0, -0.05f), 0.3f, 0.2f, -0.4f);                              // eye socket
        blob(c.off(eye, e == 0 ? -0.05f : 0.05f, 0.5f), 0.2f, 0.14f, 0.08f);         // cheekbone
    }
    blob(c.off(c.mid, 0, -0.75f), 0.35f, 0.18f, 0.08f);                               // forehead
    cv::Point2f side = c.f.lightX > 0 ? c.P(CVR_NOSE_BASE) : c.P(CVR_NOSE_BASE + 4);
    blob(lerp(c.P(CVR_NOSE_BRIDGE + 1), side, 0.5f), 0.07f, 0.3f, -0.12f - 0.25f * sideBias);   // nose side
    {
        cv::Point2f a = M(c.P(CVR_NOSE_BRIDGE)), b = M(c.P(CVR_NOSE_BRIDGE + 3));
        cv::line(delta, a, b, cv::Scalar(0.1), std::max(1, cvRound(0.1f * iodm)), cv::LINE_8);
    }
    blob(c.P(CVR_NOSE_BRIDGE + 3), 0.08f, 0.06f, 0.16f);                              // nose tip
    blob(c.off(c.P(CVR_NOSE_BASE + 2), 0, 0.05f), 0.17f, 0.045f, -0.3f);             // under the nose
    double sigma = std::max(0.5, 0.07 * iodm);
    cv::GaussianBlur(delta, delta, cv::Size(0, 0), sigma);
    cv::Mat shade = base.mul(delta + 1.0f);
    cv::Mat shade8, big;
    shade.convertTo(shade8, CV_8U, 128.0);
    cv::resize(shade8, big, c.img.size(), 0, 0, cv::INTER_LINEAR);
    cv::multiply(c.img, big, c.img, 1.0 / 128.0);
}

void drawOccluder(Ctx &c) {
    if (c.f.occluder <= 0 || c.f.occluderAmount <= 0.01f) return;
    const float amt = c.f.occluderAmount;
    const float side = c.rng.uniform(0.f, 1.f) < 0.5f ? -1.0f : 1.0f;
    cv::Point2f chin = c.P(CVR_JAW + 8);
    switch (c.f.occluder) {
    case 1: {   // a hand raised to the chin or cheek
        float skin = clamp255(c.skinGray * c.rng.uniform(0.85f, 1.1f));
        cv::Point2f palm = c.off(chin, side * 0.45f, 0.55f - amt * 0.7f);
        fillPoly(c, ellipsePts(palm, c.ux * (0.5f * c.iod), c.uy * (0.6f * c.iod), 20), skin);
        for (int f = 0; f < 4; f++) {
            cv::Point2f base = c.off(palm, side * (-0.35f + 0.2f * f), -0.35f);
            cv::Point2f tip = c.off(base, -side * 0.15f, -0.6f - 0.1f * (f % 2));
            polyline(c, {base, tip}, false, skin, 0.19f * c.iod);
            blendLine(c, {c.off(base, -side * 0.1f, 0.1f), c.off(tip, -side * 0.09f, 0)}, skin * 0.55f, 0.6f,
                      0.02f * c.iod);
        }
        break;
    }
    case 2: {   // a lock of hair falling over one eye
        float g = 18.0f + (1.0f - c.f.hairDark) * 190.0f;
        cv::Point2f eye = side < 0 ? c.eyeR : c.eyeL;
        for (int k = 0; k < 9; k++) {
            float dx = c.rng.uniform(-0.2f, 0.2f);
            std::vector<cv::Point2f> s{c.off(eye, dx * 0.5f, -1.2f), c.off(eye, dx + 0.1f * side, -0.3f),
                                       c.off(eye, dx * 1.5f + 0.1f * side, -0.2f + amt * 0.9f)};
            polyline(c, catmullRom(s, false, 4), false, g * c.rng.uniform(0.8f, 1.2f), 0.07f * c.iod);
        }
        break;
    }
    default: {  // a scarf over the chin and mouth
        float g = clamp255(c.rng.uniform(30.0f, 220.0f));
        cv::Point2f top = lerp(chin, c.P(CVR_NOSE_BASE + 2), 0.15f + 0.8f * amt);
        std::vector<cv::Point2f> band{c.off(top, -1.4f, 0.1f), c.off(top, 0, -0.05f), c.off(top, 1.4f, 0.1f),
                                      c.off(chin, 1.5f, 1.0f), c.off(chin, -1.5f, 1.0f)};
        fillPoly(c, catmullRom(band, true, 3), g);
        for (int k = 1; k < 4; k++) {
            float t = 0.2f * k;
            polyline(c, {lerp(band[0], band[4], t), lerp(band[2], band[3], t)}, false, g * 0.7f, 0.06f * c.iod);
        }
    }
    }
}

} // namespace cvr
