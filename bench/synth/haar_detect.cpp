// Bench-only tool: runs OpenCV's Haar frontal-face cascade over synthetic scenes written by
// `facet data synth --scenes` and reports how many near-frontal faces it finds.
// Build: see bench/synth/realism.sh.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: haar_detect DIR [cascade.xml] [maxAbsAngle=15]\n");
        return 2;
    }
    std::string dir = argv[1];
    std::string cascadePath = argc > 2 ? argv[2] : "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
    double maxAngle = argc > 3 ? std::atof(argv[3]) : 15.0;
    cv::CascadeClassifier cascade;
    if (!cascade.load(cascadePath)) { std::fprintf(stderr, "haar_detect: cannot load cascade %s\n", cascadePath.c_str()); return 1; }
    std::ifstream csv(dir + "/targets.csv");
    if (!csv) { std::fprintf(stderr, "haar_detect: cannot open %s/targets.csv\n", dir.c_str()); return 1; }
    std::string line;
    std::getline(csv, line);
    std::vector<std::string> header;
    { std::stringstream ss(line); std::string h; while (std::getline(ss, h, ',')) header.push_back(h); }
    auto col = [&](const std::string &name) {
        for (size_t i = 0; i < header.size(); i++) if (header[i] == name) return (int)i;
        return -1;
    };
    int cYaw = col("yaw"), cPitch = col("pitch"), cL = col("left_eye_x");
    if (cYaw < 0 || cPitch < 0 || cL < 0) { std::fprintf(stderr, "haar_detect: targets.csv lacks yaw/pitch/eye columns\n"); return 1; }
    int total = 0, found = 0, withEyes = 0, all = 0, allFound = 0;
    while (std::getline(csv, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line); std::string v;
        while (std::getline(ss, v, ',')) f.push_back(v);
        double yaw = std::stod(f[cYaw]), pitch = std::stod(f[cPitch]);
        bool frontal = std::fabs(yaw) <= maxAngle && std::fabs(pitch) <= maxAngle;
        cv::Mat img = cv::imread(dir + "/" + f[0], cv::IMREAD_GRAYSCALE);
        if (img.empty()) { std::fprintf(stderr, "haar_detect: cannot read %s\n", f[0].c_str()); return 1; }
        std::vector<cv::Rect> faces;
        cascade.detectMultiScale(img, faces, 1.1, 4, 0, cv::Size(30, 30));
        double lx = std::stod(f[cL]), ly = std::stod(f[cL + 1]), rx = std::stod(f[cL + 2]), ry = std::stod(f[cL + 3]);
        bool hit = false;
        for (auto &r : faces) {   // a hit is a box that contains both true eye centres
            if (r.contains(cv::Point((int)lx, (int)ly)) && r.contains(cv::Point((int)rx, (int)ry))) hit = true;
        }
        all++;
        if (hit) allFound++;
        if (frontal) { total++; if (hit) found++; if (!faces.empty()) withEyes++; }
    }
    std::printf("near-frontal (|yaw|,|pitch| <= %.0f deg): %d scenes, face found in %d (%.1f%%); any detection in %d\n",
                maxAngle, total, found, total ? 100.0 * found / total : 0.0, withEyes);
    std::printf("all poses: %d scenes, face found in %d (%.1f%%)\n", all, allFound, all ? 100.0 * allFound / all : 0.0);
    return 0;
}
