// Makes the folder of photos `bench/predict/run.sh` times: every input photo at eight scales
// (100 % down to 65 % in steps of 5 %), each as is and mirrored, written as JPEG (quality 92).
// usage: make_photos OUT PHOTO...     (OUT is created; 16 files per photo)
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cstdio>
#include <string>
#include <sys/stat.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUT PHOTO...\n", argv[0]);
        return 2;
    }
    std::string out = argv[1];
    mkdir(out.c_str(), 0755);
    int written = 0;
    for (int a = 2; a < argc; ++a) {
        cv::Mat photo = cv::imread(argv[a], cv::IMREAD_COLOR);
        if (photo.empty()) {
            std::fprintf(stderr, "%s: cannot read image\n", argv[a]);
            return 1;
        }
        std::string stem = argv[a];
        stem = stem.substr(stem.rfind('/') + 1);
        stem = stem.substr(0, stem.rfind('.'));
        for (int s = 0; s < 8; ++s) {
            double scale = 1.0 - 0.05 * s;
            cv::Mat scaled;
            cv::resize(photo, scaled, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
            for (int mirror = 0; mirror < 2; ++mirror) {
                cv::Mat frame = scaled;
                if (mirror) cv::flip(scaled, frame, 1);
                char name[512];
                std::snprintf(name, sizeof name, "%s/%s_%03d%s.jpg", out.c_str(), stem.c_str(), (int)(scale * 100 + 0.5),
                              mirror ? "_mirrored" : "");
                if (!cv::imwrite(name, frame, {cv::IMWRITE_JPEG_QUALITY, 92})) {
                    std::fprintf(stderr, "%s: cannot write\n", name);
                    return 1;
                }
                ++written;
            }
        }
    }
    std::printf("wrote %d photos into %s\n", written, out.c_str());
    return 0;
}
