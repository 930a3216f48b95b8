// The baseline for `facet predict`'s speed: a plain, single-threaded OpenCV Haar loop over photos,
// with no Facet code. Per photo: decode as grayscale, detect faces, and detect eyes in each face
// with the settings Facet's default pipeline uses (FacePipeline: scale 1.1, 4 neighbours, faces
// from 30 px; eyes searched in the upper face resized to 240 px wide, scale 1.1, 3 neighbours,
// eye sizes 1/12..2/5 of that width). OpenCV's own thread pool is off (cv::setNumThreads(1)).
//
// usage: haar_loop FACE_CASCADE EYE_CASCADE PHOTO...
// prints: photos, faces, faces with two or more eye candidates, seconds, photos/s
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

int main(int argc, char **argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s FACE_CASCADE EYE_CASCADE PHOTO...\n", argv[0]);
        return 2;
    }
    cv::setNumThreads(1);
    cv::CascadeClassifier face, eye;
    if (!face.load(argv[1]) || !eye.load(argv[2])) {
        std::fprintf(stderr, "cannot load the cascades %s, %s\n", argv[1], argv[2]);
        return 1;
    }
    const bool list = std::getenv("HAAR_LOOP_LIST") != nullptr;  // one line per photo (finding photos with faces)
    long photos = 0, faces = 0, withEyes = 0;
    auto start = std::chrono::steady_clock::now();
    for (int a = 3; a < argc; ++a) {
        cv::Mat gray = cv::imread(argv[a], cv::IMREAD_GRAYSCALE);
        if (gray.empty()) {
            std::fprintf(stderr, "%s: cannot decode\n", argv[a]);
            continue;
        }
        ++photos;
        std::vector<cv::Rect> found;
        face.detectMultiScale(gray, found, 1.1, 4, 0, cv::Size(30, 30));
        faces += (long)found.size();
        for (const cv::Rect &f : found) {
            // The upper face (12 %..62 % of the box), where the eyes are.
            cv::Rect region = cv::Rect(f.x, f.y + (int)(0.12 * f.height), f.width, f.height / 2) &
                              cv::Rect(0, 0, gray.cols, gray.rows);
            double scale = 240.0 / region.width;
            cv::Mat patch;
            cv::resize(gray(region), patch, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
            std::vector<cv::Rect> eyes;
            int minEye = std::max(20, patch.cols / 12), maxEye = std::max(minEye + 1, patch.cols * 2 / 5);
            eye.detectMultiScale(patch, eyes, 1.1, 3, 0, cv::Size(minEye, minEye), cv::Size(maxEye, maxEye));
            if (eyes.size() >= 2) ++withEyes;
        }
        if (list) std::printf("%s %dx%d faces=%zu\n", argv[a], gray.cols, gray.rows, found.size());
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("photos %ld, faces %ld, faces with eye candidates %ld, %.3f s, %.2f photos/s\n", photos, faces,
                withEyes, seconds, photos / seconds);
    return 0;
}
