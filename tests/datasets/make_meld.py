#!/usr/bin/python3
"""A miniature of MELD.Raw with the layout's quirks, and its truth.

    make_meld.py OUT_DIR

writes OUT_DIR/MELD.Raw/{train,dev,test}_sent_emo.csv (CRLF, MELD's header,
quoted fields with commas) and the clip folders at the depths the archives
unpack them to (train_splits/ directly, dev/dev_splits_complete/,
test/output_repeated_splits_test/), and OUT_DIR/truth.json: the rows daf-manifest
should write and the items it should skip. Quirks: the C1 control characters
older MELD CSVs carry for Windows-1252 punctuation (U+0092 for a right quote,
U+0085, U+0097, U+0091/U+0093/U+0094, U+00A0), one-digit hours and two-digit
milliseconds, a start time that is neither, a missing clip, ids restarting in every split, an unknown
emotion. The clips are real mp4s (tests/datasets/media.py); one is cut short
(as train dia125_utt3.mp4 is in the release), which daf-manifest keeps and
daf-extract skips in the audio modality; truth.json's "extract_skips" says so.
"""
import csv
import io
import json
import os
import sys

from media import Clips

EMOTIONS = ["neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear"]
SENTIMENT = {"neutral": "neutral", "joy": "positive", "surprise": "positive", "anger": "negative",
             "sadness": "negative", "disgust": "negative", "fear": "negative"}
HEADER = ["Sr No.", "Utterance", "Speaker", "Emotion", "Sentiment", "Dialogue_ID", "Utterance_ID", "Season",
          "Episode", "StartTime", "EndTime"]
# (as written in the CSV, as daf-manifest should repair it)
TEXTS = [("You\u0092re here, Ross.", "You\u2019re here, Ross."),
         ("Wait\u0085 what?", "Wait\u2026 what?"),
         ("\u0093Oh my God\u0094 \u0097 again", "\u201cOh my God\u201d \u2014 again"),
         ("\u0091Fine\u0092, she said", "\u2018Fine\u2019, she said"),
         ("No\u00a0way.", "No way."),
         ("Okay, okay.", "Okay, okay.")]
SPEAKERS = ["Ross", "Rachel", "Joey", "Monica", "Chandler", "Phoebe"]


def main(out):
    release = os.path.join(out, "MELD.Raw")
    folders = {"train": os.path.join(release, "train_splits"),
               "dev": os.path.join(release, "dev", "dev_splits_complete"),
               "test": os.path.join(release, "test", "output_repeated_splits_test")}
    truth = {"rows": [], "skips": [], "extract_skips": []}
    clips = Clips()
    k = 0
    for split, daf_split in (("train", "train"), ("dev", "valid"), ("test", "test")):
        os.makedirs(folders[split])
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(HEADER)
        line = 1
        for dialogue in range(3):
            for utterance in range(4):
                line += 1
                emotion = EMOTIONS[k % len(EMOTIONS)]
                raw, clean = TEXTS[k % len(TEXTS)]
                speaker = SPEAKERS[(k * 5) % len(SPEAKERS)]
                start_s = 60 * dialogue + 3 * utterance + 1.25
                hours = "0" if k % 5 == 0 else "00"                 # one-digit hours
                ms = "25" if k % 7 == 0 else "250"                    # two digits: still a quarter second
                start = "%s:%02d:%02d,%s" % (hours, int(start_s) // 60, int(start_s) % 60, ms)
                end_s = start_s + 2
                end = "00:%02d:%02d,%03d" % (int(end_s) // 60, int(end_s) % 60, 250)
                unreadable = split == "test" and dialogue == 0 and utterance == 1
                if unreadable:
                    start = "00:00:4,250"                              # one-digit seconds: reported, row kept
                if split == "train" and dialogue == 2 and utterance == 3:
                    emotion_written = "Excitement"                    # not a MELD emotion
                else:
                    emotion_written = emotion
                writer.writerow([line - 1, raw, speaker, emotion_written, SENTIMENT[emotion], dialogue, utterance,
                                 1 + dialogue, 10 + utterance, start, end])
                clip = "dia%d_utt%d.mp4" % (dialogue, utterance)
                uid = "%s_dia%d_utt%d" % (split, dialogue, utterance)
                missing = split == "dev" and dialogue == 1 and utterance == 2
                corrupt = split == "train" and dialogue == 1 and utterance == 3
                if corrupt:
                    clips.write_corrupt(os.path.join(folders[split], clip))
                    truth["extract_skips"].append({"id": uid, "modality": "audio", "reason": "cannot decode audio"})
                elif not missing:
                    clips.write(os.path.join(folders[split], clip), k)
                k += 1
                if emotion_written != emotion:
                    truth["skips"].append({"id": uid, "kind": "unknown emotion"})
                    continue
                if missing:
                    truth["skips"].append({"id": uid, "kind": "no video file"})
                    continue
                if unreadable:
                    truth["skips"].append({"id": uid, "kind": "unreadable time (row kept)"})
                truth["rows"].append({
                    "id": uid, "split": daf_split, "text": clean, "audio": os.path.join(folders[split], clip),
                    "emotion": emotion, "sentiment": {"neutral": 0, "positive": 1, "negative": -1}[SENTIMENT[emotion]],
                    "speaker": speaker, "dialogue": "%s_dia%d" % (split, dialogue), "season": str(1 + dialogue),
                    "episode": str(10 + utterance), "episode_start": None if unreadable else start_s, "episode_end": end_s})
        with open(os.path.join(release, split + "_sent_emo.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(buffer.getvalue())
    clips.close()
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1, ensure_ascii=True)


if __name__ == "__main__":
    main(sys.argv[1])
