#!/usr/bin/env bash
# `facet predict` on every core against a plain single-threaded OpenCV Haar loop (haar_loop.cpp:
# decode, detect faces, detect eyes in each face, with the settings of Facet's default pipeline),
# over the same folder of real photos. A benchmark, not a test (CI does not run it).
#
# The photos are real ones that Debian packages ship (opencv-doc: messi5, basketball1/2 and four
# portrait/group pictures of its tutorials; python3-skimage: astronaut). The .deb files are
# downloaded once into the cache folder and only those images are unpacked (nothing installed);
# make_photos.cpp writes each at 8 scales, plain and mirrored: 128 JPEGs under $BENCH, never
# committed. The model is a small net trained for one epoch on synthetic faces (the network is
# a few per cent of predict's time; detection and alignment are the rest).
#
# Both sides are timed as whole commands (process start, cascade and model loading included),
# alternately, $REPEATS times; the medians are compared, wall and CPU (user + system) seconds: on a
# loaded machine the CPU figures are the ones that do not depend on the other jobs. The last line
# is `facet predict --align-from-detection` (opt-in; boxes can move by a few pixels).
# usage: bench/predict/run.sh [workers=nproc] [repeats=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-/tmp/facet-bench-predict}
DEBS=${XDG_CACHE_HOME:-$HOME/.cache}/facet-bench/debs
WORKERS=${1:-$(nproc)}
REPEATS=${2:-3}
CASCADES=${FACET_CASCADES:-/usr/share/opencv4/haarcascades}
mkdir -p "$BENCH/src" "$DEBS"

swift build -c release --product facet >/dev/null
FACET=.build/release/facet

# Real photos with faces from two Debian packages (downloaded, not installed).
unpack() {  # unpack PACKAGE PATH...: the given files of PACKAGE's .deb into $BENCH/src
    local pkg=$1; shift
    local deb
    deb=$(ls "$DEBS/${pkg}"_*.deb 2>/dev/null | head -1 || true)
    if [ -z "$deb" ]; then
        (cd "$DEBS" && { apt-get download "$pkg" 2>/dev/null || { apt-get update >/dev/null && apt-get download "$pkg"; }; })
        deb=$(ls "$DEBS/${pkg}"_*.deb | head -1)
    fi
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$BENCH/src" "${@/#/./}"
}
DOC=usr/share/doc/opencv-doc
unpack opencv-doc $DOC/examples/data/messi5.jpg $DOC/examples/data/basketball1.png $DOC/examples/data/basketball2.png \
    $DOC/opencv4/html/227943776_1.jpg $DOC/opencv4/html/230501201_1.jpg $DOC/opencv4/html/face_swapped.jpg $DOC/opencv4/html/2.jpg
unpack python3-skimage usr/lib/python3/dist-packages/skimage/data/astronaut.png

g++ -O2 -I/usr/include/opencv4 bench/predict/make_photos.cpp -o "$BENCH/make_photos" -lopencv_imgcodecs -lopencv_imgproc -lopencv_core
g++ -O2 -I/usr/include/opencv4 bench/predict/haar_loop.cpp -o "$BENCH/haar_loop" \
    -lopencv_objdetect -lopencv_imgcodecs -lopencv_imgproc -lopencv_core
rm -rf "$BENCH/photos"
"$BENCH/make_photos" "$BENCH/photos" $(find "$BENCH/src" -type f | sort) 2>&1 | grep -v "iCCP"

MODEL=$BENCH/model.safetensors
if [ ! -f "$MODEL" ]; then
    "$FACET" repl --no-cache >/dev/null 2>&1 <<END
let faces = synthetic(n: 600, seed: 7) | split(0.8, 0.1, 0.1) | gcn
let run = train(ferc(width: 32, fc: 256), faces.emotion, epochs: 1, optimizer: "adam", lr: 0.0005)
save(run, "$MODEL")
END
fi

PHOTOS=("$BENCH"/photos/*.jpg)
timed() {  # timed NAME COMMAND...: appends wall and CPU (user + system) seconds to NAME_wall and NAME_cpu
    local name=$1; shift
    /usr/bin/time -f "%e %U %S" -o "$BENCH/time" "$@" >/dev/null 2>"$BENCH/stderr"
    read -r wall user sys < "$BENCH/time"
    eval "${name}_wall+=($wall); ${name}_cpu+=($(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }'))"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

plain_wall=() plain_cpu=() facet_wall=() facet_cpu=() one_wall=() one_cpu=() fast_wall=() fast_cpu=()
for r in $(seq "$REPEATS"); do
    timed plain "$BENCH/haar_loop" "$CASCADES/haarcascade_frontalface_default.xml" "$CASCADES/haarcascade_eye.xml" "${PHOTOS[@]}"
    timed facet "$FACET" predict --model "$MODEL" --workers "$WORKERS" "$BENCH/photos"
    summary=$(cat "$BENCH/stderr")
    timed one "$FACET" predict --model "$MODEL" --workers 1 --threads 1 "$BENCH/photos"
    timed fast "$FACET" predict --model "$MODEL" --workers "$WORKERS" --align-from-detection "$BENCH/photos"
    echo "run $r: plain loop ${plain_wall[-1]} s, facet predict --workers $WORKERS ${facet_wall[-1]} s, --workers 1 ${one_wall[-1]} s," \
        "--align-from-detection ${fast_wall[-1]} s (wall; load average $(cut -d' ' -f1 /proc/loadavg))"
done
echo "facet: $summary"
awk -v n="${#PHOTOS[@]}" -v w="$WORKERS" \
    -v p="$(median "${plain_wall[@]}")" -v f="$(median "${facet_wall[@]}")" -v o="$(median "${one_wall[@]}")" \
    -v pc="$(median "${plain_cpu[@]}")" -v fc="$(median "${facet_cpu[@]}")" -v oc="$(median "${one_cpu[@]}")" \
    -v a="$(median "${fast_wall[@]}")" -v ac="$(median "${fast_cpu[@]}")" 'BEGIN {
    printf "%d photos, medians of whole commands (wall s, CPU s):\n", n
    printf "  plain OpenCV Haar face+eye loop, 1 thread: %6.2f s %6.2f CPU s  %5.2f photos/s\n", p, pc, n / p
    printf "  facet predict, 1 worker, 1 thread:         %6.2f s %6.2f CPU s  %5.2f photos/s\n", o, oc, n / o
    printf "  facet predict, %d workers:                  %6.2f s %6.2f CPU s  %5.2f photos/s\n", w, f, fc, n / f
    printf "  facet predict, %d workers, --align-from-detection: %6.2f s %6.2f CPU s  %5.2f photos/s\n", w, a, ac, n / a
    printf "facet predict (%d workers) / plain loop: %.2fx (wall); its own 1-worker run / %d workers: %.2fx;\n", w, p / f, w, o / f
    printf "CPU work per photo / plain loop: facet 1 worker %.2fx, %d workers %.2fx, --align-from-detection %.2fx\n", oc / pc, w, fc / pc, ac / pc
    printf "best possible on %d idle cores (CPU-bound, perfect scaling) / plain loop: %.2fx, --align-from-detection %.2fx\n", w, w * pc / fc, w * pc / ac
}'
echo "$(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
