#!/usr/bin/python3
"""A miniature of IEMOCAP_full_release with the layout's quirks, and its truth.

    make_iemocap.py OUT_DIR

writes OUT_DIR/IEMOCAP_full_release/Session{1..5}/... as the release lays it
out (dialog/EmoEvaluation/<dialogue>.txt, dialog/transcriptions/<dialogue>.txt,
sentences/wav/<dialogue>/<turn>.wav, 16 kHz) and OUT_DIR/truth.json: for every
turn the generator made, who speaks it, its emotion code, V/A/D, the transcript
without tags, and whether it has a wav and an evaluation line; for every line
that should be skipped, why. Quirks: header and per-annotator lines in the
evaluations, both actors speaking in every dialogue (the id's prefix names the
actor wearing markers, not the speaker), unlabelled ..._XX0 turns, a transcript
line that is not a turn, [LAUGHTER]-style tags, a CRLF file, a labelled turn
without a wav, macOS "._" files and the Categorical/ sub-folder.
"""
import json
import os
import struct
import sys
import wave

import numpy as np

CODES = ["neu", "hap", "exc", "sad", "ang", "fru", "sur", "xxx", "neu", "ang", "sad", "exc", "dis", "fea", "oth"]
WORDS = ["well", "okay", "really", "i", "know", "that", "you", "never", "told", "me", "so", "what", "now", "fine"]


def write_wav(path, seconds, rng):
    n = int(16000 * seconds)
    t = np.arange(n) / 16000.0
    signal = 0.3 * np.sin(2 * np.pi * rng.uniform(120, 300) * t) + 0.05 * rng.standard_normal(n)
    samples = np.clip(signal * 32767, -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(samples.tobytes())


def main(out):
    rng = np.random.default_rng(3)
    release = os.path.join(out, "IEMOCAP_full_release")
    truth = {"turns": [], "skips": []}
    code_index = 0
    for session in range(1, 6):
        sdir = os.path.join(release, "Session%d" % session)
        evaldir = os.path.join(sdir, "dialog", "EmoEvaluation")
        transdir = os.path.join(sdir, "dialog", "transcriptions")
        os.makedirs(os.path.join(evaldir, "Categorical"))
        os.makedirs(transdir)
        # Session 1 has an improvisation and a script; the others one dialogue,
        # with the female or the male actor wearing the markers.
        wearer = "F" if session % 2 else "M"
        dialogues = ["Ses%02d%s_impro0%d" % (session, wearer, session)]
        if session == 1:
            dialogues.append("Ses01M_script01_2")
        for dialogue in dialogues:
            wavdir = os.path.join(sdir, "sentences", "wav", dialogue)
            os.makedirs(wavdir)
            eval_lines = ["% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]", ""]
            trans_lines = []
            clock = 2.0
            for k in range(6):
                gender = "F" if k % 2 == 0 else "M"   # both actors speak
                turn = "%s_%s%03d" % (dialogue, gender, k // 2)
                code = CODES[code_index % len(CODES)]
                code_index += 1
                v, a, d = (round(float(x), 4) for x in rng.uniform(1, 5, 3))
                words = " ".join(rng.choice(WORDS, 4))
                text = words.capitalize() + "."
                raw = text
                if k == 1:
                    raw = "[LAUGHTER] " + text + " [BREATHING]"
                start, end = clock, clock + rng.uniform(0.4, 0.9)
                clock = end + 0.3
                # One labelled turn of a usable class lost its wav.
                has_wav = not (session == 3 and k == 5)
                if has_wav:
                    write_wav(os.path.join(wavdir, turn + ".wav"), end - start, rng)
                eval_lines += ["[%.4f - %.4f]\t%s\t%s\t[%.4f, %.4f, %.4f]" % (start, end, turn, code, v, a, d),
                               "C-E1:\tNeutral;\t()", "C-E3:\tAnger; Frustration;\t()",
                               "A-E2:\tval 3; act 2; dom  2;\t()", ""]
                trans_lines.append("%s [%08.4f-%08.4f]: %s" % (turn, start, end, raw))
                truth["turns"].append({
                    "id": turn, "session": session, "speaker": "Ses%02d%s" % (session, gender),
                    "dialogue": dialogue, "scenario": "improvised" if "_impro" in dialogue else "scripted",
                    "code": code, "vad": ["%.4f" % v, "%.4f" % a, "%.4f" % d], "text": text, "raw_text": raw,
                    "has_wav": has_wav, "wav": os.path.join(wavdir, turn + ".wav")})
            # An unlabelled turn (no evaluation, no wav) and a line that is no turn.
            xx = "%s_%sXX0" % (dialogue, "M")
            trans_lines.append("%s [%08.4f-%08.4f]: Mm-hmm." % (xx, clock, clock + 0.5))
            truth["skips"].append({"id": xx, "kind": "transcript line without evaluation"})
            if session == 2:
                trans_lines.append("M: [BREATHING]")
                truth["skips"].append({"id": "", "kind": "unreadable transcript line"})
            end = "\r\n" if session == 4 else "\n"
            with open(os.path.join(transdir, dialogue + ".txt"), "w", newline="") as f:
                f.write(end.join(trans_lines) + end)
            with open(os.path.join(evaldir, dialogue + ".txt"), "w") as f:
                f.write("\n".join(eval_lines) + "\n")
            with open(os.path.join(evaldir, "._" + dialogue + ".txt"), "wb") as f:
                f.write(struct.pack("<I", 0x00051607) + b"\0" * 60)   # an AppleDouble header
            with open(os.path.join(evaldir, "Categorical", dialogue + "_e1_cat.txt"), "w") as f:
                f.write("%s_F000 :Neutral state; ()\n" % dialogue)
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
