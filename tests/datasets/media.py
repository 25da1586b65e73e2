"""Real video clips for the dataset miniatures, made with Debian's ffmpeg.

MELD and CH-SIMS ship their audio inside mp4 clips (H.264 video, AAC audio);
daf-extract reads it through FFmpeg's libraries. Making one clip takes ffmpeg
~0.2 s, so a few different clips are made once and copied round-robin:

    clips = Clips()            # the templates, in a temporary folder
    clips.write(path, k)       # the k-th clip (k modulo the number of templates)
    clips.write_silent(path)   # video without an audio stream
    clips.write_corrupt(path)  # an mp4 cut in the middle of its data
    clips.close()
"""
import os
import shutil
import subprocess
import tempfile

# (audio sample rate, channels, tone in Hz, seconds): both rates MELD's and
# CH-SIMS's clips come in, mono and stereo.
TEMPLATES = [(48000, 2, 220, 0.8), (44100, 1, 330, 0.6), (48000, 1, 440, 1.0), (44100, 2, 550, 0.7)]


def ffmpeg(*arguments):
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *arguments], check=True)


def video_input(seconds):
    return ["-f", "lavfi", "-i", "testsrc=size=32x24:rate=5:duration=%g" % seconds]


class Clips:
    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="daf-clips-")
        self.paths = []
        for i, (rate, channels, tone, seconds) in enumerate(TEMPLATES):
            path = os.path.join(self.folder, "clip%d.mp4" % i)
            ffmpeg(*video_input(seconds), "-f", "lavfi", "-i",
                   "sine=frequency=%d:sample_rate=%d:duration=%g" % (tone, rate, seconds),
                   "-ac", str(channels), "-c:v", "mpeg4", "-c:a", "aac", "-shortest", path)
            self.paths.append(path)
        self.silent = os.path.join(self.folder, "silent.mp4")
        ffmpeg(*video_input(0.6), "-c:v", "mpeg4", self.silent)

    def write(self, path, k):
        shutil.copyfile(self.paths[k % len(self.paths)], path)

    def write_silent(self, path):
        shutil.copyfile(self.silent, path)

    def write_corrupt(self, path):
        # The index (moov) of ffmpeg's mp4s is at the end: half a file has none.
        with open(self.paths[0], "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(data[: len(data) // 2])

    def close(self):
        shutil.rmtree(self.folder, ignore_errors=True)
