// Hair, beard, moustache, glasses and wrinkles of the synthetic face.
#include "render_internal.hpp"
#include <cmath>

namespace cvr {

static cv::Point2f lerp(cv::Point2f a, cv::Point2f b, float t) { return a + (b - a) * t; }

static float hairGray(const Ctx &c) { return 18.0f + (1.0f - c.f.hairDark) * 190.0f; }

/// Skull outline pushed outward by the hair volume (9 points, image-left temple → crown → right).
static std::vector<cv::Point2f> hairOutline(const Ctx &c) {
    cv::Point2f centre = c.off(c.mid, 0, 0.15f);
    std::vector<cv::Point2f> v;
    for (int i = 0; i < 9; i++) {
        cv::Point2f p = c.P(CVR_SKULL + i);
        float taper = std::sin((float)CV_PI * (0.1f + 0.8f * i / 8.0f));   // sideburns stay close to the head
        v.push_back(p + (p - centre) * ((0.03f + 0.12f * c.f.hairVolume) * taper));
    }
    return v;
}

/// The hairline lowered towards the brows by the fringe amount (7 points).
static std::vector<cv::Point2f> hairline(const Ctx &c) {
    std::vector<cv::Point2f> v = c.pts(CVR_HAIRLINE, 7);
    cv::Point2f brows[7] = {v[0], c.P(CVR_BROW_R), c.P(CVR_BROW_R + 2),
                            lerp(c.P(CVR_BROW_R + 4), c.P(CVR_BROW_L), 0.5f), c.P(CVR_BROW_L + 2),
                            c.P(CVR_BROW_L + 4), v[6]};
    for (int i = 1; i < 6; i++) v[i] = lerp(v[i], c.off(brows[i], 0, -0.12f), 0.85f * c.f.fringe);
    return v;
}

void drawBackHair(Ctx &c) {
    if (c.f.hairLength < 0.3f) return;
    float len = (c.f.hairLength - 0.3f) * 3.0f;          // inter-ocular units below the jaw corner
    std::vector<cv::Point2f> out = hairOutline(c);
    std::vector<cv::Point2f> ctrl = out;
    cv::Point2f jr = c.P(CVR_JAW + 16), jl = c.P(CVR_JAW), chin = c.P(CVR_JAW + 8);
    float spread = 0.2f + 0.15f * c.f.hairVolume;
    ctrl.push_back(c.off(jr, spread, 0.5f + len * 0.3f));
    ctrl.push_back(c.off(c.P(CVR_JAW + 12), spread * 0.8f, 0.3f + len));
    ctrl.push_back(c.off(chin, 0.0f, len * 0.9f));
    ctrl.push_back(c.off(c.P(CVR_JAW + 4), -spread * 0.8f, 0.3f + len));
    ctrl.push_back(c.off(jl, -spread, 0.5f + len * 0.3f));
    std::vector<cv::Point2f> poly = catmullRom(ctrl, true, 4);
    fillPoly(c, poly, hairGray(c) * 0.8f);
    // Strands falling from the crown.
    std::vector<std::vector<cv::Point2f>> strands;
    for (int k = 0; k < 12; k++) {
        cv::Point2f a = out[1 + c.rng.uniform(0, 7)];
        cv::Point2f b = c.off(k % 2 ? jr : jl, (k % 2 ? 1.f : -1.f) * spread * c.rng.uniform(0.3f, 1.0f), 0.3f + len * c.rng.uniform(0.3f, 0.9f));
        strands.push_back(catmullRom({a, lerp(a, b, 0.5f), b}, false, 3));
    }
    blendLines(c, strands, hairGray(c) * 1.2f, 0.3f, 0.02f * c.iod);
}

void drawFrontHair(Ctx &c) {
    const float g = hairGray(c);
    std::vector<cv::Point2f> out = hairOutline(c), line = hairline(c);
    std::vector<cv::Point2f> poly = catmullRom(out, false, 3);
    std::vector<cv::Point2f> hl = catmullRom(line, false, 3);
    poly.insert(poly.end(), hl.rbegin(), hl.rend());
    // Cropped hair shows scalp through it; longer hair is opaque.
    float alpha = 0.45f + 0.55f * std::min(1.0f, c.f.hairLength * 5.0f);
    blendPoly(c, poly, g, alpha);
    // Strands from the outline towards the hairline, alternately lighter and darker.
    int strands = 14 + (int)(16 * c.f.hairLength);
    std::vector<std::vector<cv::Point2f>> darker, lighter;
    for (int k = 0; k < strands; k++) {
        float t = c.rng.uniform(0.02f, 0.98f);
        float fo = t * 8, fl = t * 6;
        int io = std::min(7, (int)fo), il = std::min(5, (int)fl);
        cv::Point2f a = lerp(out[io], out[io + 1], fo - io), b = lerp(line[il], line[il + 1], fl - il);
        cv::Point2f m = lerp(a, b, 0.5f) + c.ux * (c.rng.uniform(-0.08f, 0.08f) * c.iod);
        (c.rng.uniform(0.f, 1.f) < 0.5f ? darker : lighter).push_back(catmullRom({lerp(a, b, 0.1f), m, lerp(a, b, 0.95f)}, false, 3));
    }
    blendLines(c, darker, g * 0.7f, 0.5f * alpha, 0.02f * c.iod);
    blendLines(c, lighter, g * 1.25f + 10.0f, 0.5f * alpha, 0.02f * c.iod);
}

void drawFacialHair(Ctx &c) {
    if (c.f.beard <= 0.02f) return;
    const float g = std::min(hairGray(c), c.skinGray * 0.8f);
    // Beard: the lower face below a line from the sideburn to the mouth corners.
    std::vector<cv::Point2f> poly;
    for (int i = 1; i <= 15; i++) poly.push_back(c.P(CVR_JAW + i));
    cv::Point2f cr = c.P(CVR_LIP_OUTER + 6), cl = c.P(CVR_LIP_OUTER);
    poly.push_back(c.off(c.P(CVR_JAW + 15), -0.12f, -0.1f));
    poly.push_back(c.off(cr, 0.3f, -0.25f));
    poly.push_back(c.off(cr, 0.08f, 0.02f));
    poly.push_back(c.off(c.P(CVR_LIP_OUTER + 9), 0.0f, 0.06f));
    poly.push_back(c.off(cl, -0.08f, 0.02f));
    poly.push_back(c.off(cl, -0.3f, -0.25f));
    poly.push_back(c.off(c.P(CVR_JAW + 1), 0.12f, -0.1f));
    std::vector<cv::Point2f> region = catmullRom(poly, true, 2);
    // A faint, slightly larger copy first feathers the edge where the beard thins out.
    cv::Point2f centre = c.off(c.P(CVR_LIP_OUTER + 9), 0, 0.2f);
    std::vector<cv::Point2f> feather;
    for (auto &p : region) feather.push_back(centre + (p - centre) * 1.06f);
    blendPoly(c, feather, g, 0.15f + 0.25f * c.f.beard);
    blendPoly(c, region, g, 0.2f + 0.55f * c.f.beard);
    // Texture: short strokes pointing down the face.
    int strokes = (int)(30 + 90 * c.f.beard);
    cv::Rect r = cv::boundingRect(region);
    std::vector<std::vector<cv::Point2f>> hairs;
    for (int k = 0; k < strokes; k++) {
        cv::Point2f p((float)c.rng.uniform(r.x, r.x + std::max(1, r.width)),
                      (float)c.rng.uniform(r.y, r.y + std::max(1, r.height)));
        if (cv::pointPolygonTest(region, p, false) < 0) continue;
        cv::Point2f d = c.uy * (0.05f * c.iod) + c.ux * (c.rng.uniform(-0.02f, 0.02f) * c.iod);
        hairs.push_back({p, p + d});
    }
    blendLines(c, hairs, g * 0.6f, 0.5f * c.f.beard + 0.15f, 0.015f * c.iod);
}

void drawMoustache(Ctx &c) {
    if (c.f.moustache <= 0.02f) return;
    const float g = std::min(hairGray(c), c.skinGray * 0.8f);
    std::vector<cv::Point2f> top{c.off(c.P(CVR_LIP_OUTER), -0.07f, 0.04f), c.off(c.P(CVR_NOSE_BASE), -0.04f, 0.06f),
                                 c.off(c.P(CVR_NOSE_BASE + 2), 0, 0.05f), c.off(c.P(CVR_NOSE_BASE + 4), 0.04f, 0.06f),
                                 c.off(c.P(CVR_LIP_OUTER + 6), 0.07f, 0.04f)};
    std::vector<cv::Point2f> poly = catmullRom(top, false, 3);
    for (int i = 6; i >= 0; i--) poly.push_back(c.off(c.P(CVR_LIP_OUTER + i), 0, 0.015f));
    blendPoly(c, poly, g, 0.3f + 0.6f * c.f.moustache);
    int strokes = (int)(10 + 30 * c.f.moustache);
    std::vector<std::vector<cv::Point2f>> hairs;
    for (int k = 0; k < strokes; k++) {
        float t = c.rng.uniform(0.05f, 0.95f);
        int i = std::min(3, (int)(t * 4));
        cv::Point2f a = lerp(top[i], top[i + 1], t * 4 - i);
        cv::Point2f b = c.P(CVR_LIP_OUTER + std::min(6, (int)(t * 6.99f)));
        hairs.push_back({lerp(a, b, 0.15f), lerp(a, b, 0.85f)});
    }
    blendLines(c, hairs, g * 0.6f, 0.5f * c.f.moustache + 0.1f, 0.015f * c.iod);
}

static std::vector<cv::Point2f> lensShape(cv::Point2f centre, cv::Point2f a1, cv::Point2f a2) {
    std::vector<cv::Point2f> v;
    for (int i = 0; i < 20; i++) {
        float t = (float)(2 * CV_PI * i / 20), cs = std::cos(t), sn = std::sin(t);
        float x = (cs < 0 ? -1.f : 1.f) * std::pow(std::fabs(cs), 0.6f);
        float y = (sn < 0 ? -1.f : 1.f) * std::pow(std::fabs(sn), 0.7f);
        v.push_back(centre + a1 * x + a2 * y);
    }
    return v;
}

void drawGlasses(Ctx &c) {
    if (c.f.glasses <= 0) return;
    const float frame = 22.0f, thick = (c.f.glasses == 1 ? 0.03f : 0.06f) * c.iod;
    cv::Point2f inner[2], outer[2];
    for (int e = 0; e < 2; e++) {
        int base = e == 0 ? CVR_EYE_R : CVR_EYE_L;
        cv::Point2f oc = c.P(base + (e == 0 ? 0 : 3)), ic = c.P(base + (e == 0 ? 3 : 0));
        cv::Point2f centre = c.off(lerp(oc, ic, 0.5f), 0, 0.03f);
        cv::Point2f a1 = (oc - ic) * 0.72f, a2 = c.uy * (0.2f * c.iod);
        std::vector<cv::Point2f> lens = lensShape(centre, a1, a2);
        if (c.f.glasses == 3) blendPoly(c, lens, 25.0f, 0.85f);
        else blendLine(c, {c.off(centre, -0.12f, -0.08f), c.off(centre, 0.02f, -0.14f)}, 240.0f, 0.25f, 0.03f * c.iod);
        polyline(c, lens, true, frame, thick);
        outer[e] = centre + a1;
        inner[e] = centre - a1;
        // Temple arm towards the ear top.
        cv::Point2f ear = c.P(e == 0 ? CVR_EAR_R : CVR_EAR_L);
        polyline(c, {outer[e], lerp(outer[e], ear, 0.8f)}, false, frame, thick * 0.8f);
    }
    std::vector<cv::Point2f> bridge{inner[0], c.off(lerp(inner[0], inner[1], 0.5f), 0, -0.06f), inner[1]};
    polyline(c, catmullRom(bridge, false, 3), false, frame, thick * 0.8f);
}

void drawWrinkles(Ctx &c) {
    const float skin = c.skinGray, w = c.f.wrinkles;
    const float crease = skin * 0.55f;
    // Nasolabial folds deepen with age and with a smile.
    for (int k = 0; k < 2; k++) {
        float sgn = k == 0 ? -1.f : 1.f;
        cv::Point2f wing = c.P(CVR_NOSE_BASE + (k == 0 ? 0 : 4)), corner = c.P(CVR_LIP_OUTER + (k == 0 ? 0 : 6));
        std::vector<cv::Point2f> fold{c.off(wing, sgn * 0.06f, -0.04f), c.off(lerp(wing, corner, 0.5f), sgn * 0.16f, 0),
                                      c.off(corner, sgn * 0.1f, 0.12f)};
        blendLine(c, catmullRom(fold, false, 4), crease, 0.04f + 0.25f * w + 0.25f * c.f.smile, 0.045f * c.iod);
        if (w > 0.1f) {
            // Crow's feet from the outer eye corner, marionette lines from the mouth corner.
            cv::Point2f oc = c.P(k == 0 ? CVR_EYE_R : CVR_EYE_L + 3);
            for (int j = -1; j <= 1; j++)
                blendLine(c, {c.off(oc, sgn * 0.06f, j * 0.03f), c.off(oc, sgn * 0.2f, j * 0.09f)}, crease, 0.5f * w,
                          0.02f * c.iod);
            blendLine(c, {c.off(corner, sgn * 0.02f, 0.05f), c.off(corner, sgn * 0.06f, 0.3f)}, crease, 0.4f * w,
                      0.025f * c.iod);
            // Bags under the eyes.
            int base = k == 0 ? CVR_EYE_R : CVR_EYE_L;
            std::vector<cv::Point2f> bag{c.off(c.P(base + 3), 0, 0.08f), c.off(c.P(base + 4), 0, 0.13f),
                                         c.off(c.P(base + 5), 0, 0.13f), c.off(c.P(base), 0, 0.08f)};
            blendLine(c, catmullRom(bag, false, 3), crease, 0.45f * w, 0.02f * c.iod);
        }
    }
    if (w > 0.1f) {
        // Forehead lines between the brows and the hairline.
        for (int j = 0; j < 3; j++) {
            float t = 0.3f + 0.17f * j;
            std::vector<cv::Point2f> l;
            for (int i = 1; i < 6; i++) {
                cv::Point2f brow = i < 3 ? c.P(CVR_BROW_R + 2 * (i - 1) + 1) : c.P(CVR_BROW_L + 2 * (i - 3));
                if (i == 3) brow = lerp(c.P(CVR_BROW_R + 4), c.P(CVR_BROW_L), 0.5f);
                l.push_back(lerp(brow, c.P(CVR_HAIRLINE + i), t));
            }
            blendLine(c, catmullRom(l, false, 3), crease, 0.45f * w, 0.02f * c.iod);
        }
    }
    // Expression creases: nose wrinkle across the bridge, vertical lines of a knitted brow.
    if (c.f.noseWrinkle > 0.05f) {
        cv::Point2f b = c.P(CVR_NOSE_BRIDGE + 1);
        for (int j = 0; j < 3; j++)
            blendLine(c, {c.off(b, -0.1f, j * 0.06f - 0.04f), c.off(b, 0.1f, j * 0.06f - 0.04f)}, crease,
                      0.7f * c.f.noseWrinkle, 0.025f * c.iod);
    }
    if (c.f.browKnit > 0.05f) {
        cv::Point2f g = lerp(c.P(CVR_BROW_R + 4), c.P(CVR_BROW_L), 0.5f);
        for (int j = -1; j <= 1; j += 2)
            blendLine(c, catmullRom({c.off(g, j * 0.06f, -0.1f), c.off(g, j * 0.04f, -0.02f), c.off(g, j * 0.05f, 0.05f)}, false, 3),
                      crease, 0.45f * c.f.browKnit, 0.02f * c.iod);
    }
}

} // namespace cvr
