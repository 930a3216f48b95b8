// Makes benchmark inputs for the face pipeline from one photo (OpenCV's messi5.jpg):
//   OUT/photos/photo_NNN.jpg  640x480 photos: the photo scaled to fill the frame, shifted and
//                             turned a little (up to 6 degrees) so every image differs
//   OUT/fer_faces.csv         FER2013-format rows: 48x48 crops of the face with jitter in
//                             position, scale and tilt (up to 8 degrees)
// usage: make_inputs PHOTO OUT [photos=60] [faces=2000] [seed=7]
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

int main(int argc, char **argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s PHOTO OUT [photos] [faces] [seed]\n", argv[0]);
        return 2;
    }
    cv::Mat photo = cv::imread(argv[1], cv::IMREAD_COLOR);
    if (photo.empty()) {
        std::fprintf(stderr, "%s: cannot read image\n", argv[1]);
        return 1;
    }
    std::string out = argv[2];
    int photos = argc > 3 ? std::atoi(argv[3]) : 60, faces = argc > 4 ? std::atoi(argv[4]) : 2000;
    std::mt19937 rng(argc > 5 ? std::atoi(argv[5]) : 7);
    std::uniform_real_distribution<double> unit(-1, 1);
    if (std::system(("mkdir -p '" + out + "/photos'").c_str()) != 0) return 1;

    // 640x480 colour photos.
    for (int i = 0; i < photos; ++i) {
        double scale = 640.0 / photo.cols * (1.05 + 0.05 * unit(rng));
        cv::Mat big;
        cv::resize(photo, big, cv::Size(), scale, scale, cv::INTER_CUBIC);
        cv::Point2f centre(big.cols / 2.0f + 20 * unit(rng), big.rows / 2.0f + 15 * unit(rng));
        cv::Mat m = cv::getRotationMatrix2D(centre, 6 * unit(rng), 1.0);
        m.at<double>(0, 2) += 320 - centre.x;
        m.at<double>(1, 2) += 240 - centre.y;
        cv::Mat frame;
        cv::warpAffine(big, frame, m, cv::Size(640, 480), cv::INTER_LINEAR, cv::BORDER_REFLECT);
        char name[64];
        std::snprintf(name, sizeof name, "/photos/photo_%03d.jpg", i);
        cv::imwrite(out + name, frame);
    }

    // FER-style 48x48 grayscale face crops around the face at (245, 113), about 38 px wide.
    cv::Mat gray;
    cv::cvtColor(photo, gray, cv::COLOR_BGR2GRAY);
    FILE *csv = std::fopen((out + "/fer_faces.csv").c_str(), "w");
    if (!csv) return 1;
    std::fprintf(csv, "emotion,pixels,Usage\n");
    const char *usage[] = {"Training", "PublicTest", "PrivateTest"};
    for (int i = 0; i < faces; ++i) {
        double side = 56 * (1 + 0.08 * unit(rng));  // FER crops show the whole face plus a margin
        cv::Point2f centre(245 + 3 * unit(rng), 110 + 3 * unit(rng));
        cv::Mat m = cv::getRotationMatrix2D(centre, 8 * unit(rng), 48.0 / side);
        m.at<double>(0, 2) += 24 - centre.x;
        m.at<double>(1, 2) += 24 - centre.y;
        cv::Mat crop;
        cv::warpAffine(gray, crop, m, cv::Size(48, 48), cv::INTER_AREA, cv::BORDER_REPLICATE);
        std::fprintf(csv, "%d,", i % 7);
        for (int p = 0; p < 48 * 48; ++p) std::fprintf(csv, p ? " %d" : "%d", crop.data[p]);
        std::fprintf(csv, ",%s\n", usage[i % 10 < 8 ? 0 : (i % 10 == 8 ? 1 : 2)]);
    }
    std::fclose(csv);
    std::printf("wrote %d photos and %d face rows under %s\n", photos, faces, out.c_str());
    return 0;
}
