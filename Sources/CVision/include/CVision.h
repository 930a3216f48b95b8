#ifndef CVISION_H
#define CVISION_H
#ifdef __cplusplus
extern "C" {
#endif
/// OpenCV version string, e.g. "4.6.0".
const char *cv_version(void);
#ifdef __cplusplus
}
#endif
#endif
#include "CVisionRender.h" // synthetic face renderer (render*.cpp), part of the umbrella module
