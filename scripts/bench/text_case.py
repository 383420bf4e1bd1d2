"""Benchmark: building a case from a long note (``case_from_text``) as the note grows.

``medkg diagnose --text-file`` takes notes up to 8 MiB. A note is made by repeating a
clinic letter (``--note FILE``, else each of the notes below: a clinic letter with findings, negations,
family history, drugs and allergies, a neonatal progress note, and emergency notes) up to each
size, and the case is built from it with the bundle's recogniser
loaded once. Prints per size the seconds, the characters per second, and two ratios measured in
the same run: against the recogniser alone on the same text (``Recognizer.extract``, the
baseline: the work every case needs) and against the smallest size's rate (1.0 = linear; a
step that looks back over the text for each mention shows as a ratio that grows with the size).

Usage::

    python scripts/bench/text_case.py --kg /tmp/ext-kg
    python scripts/bench/text_case.py --kg /tmp/ext-kg --sizes 100000,1000000,8000000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.extraction import Recognizer
from reasoning.text_case import case_from_text

LETTER = """Dear Dr Patel,
I saw Amira, a 9 year old girl, in the genetics clinic today with her mother.
She has global developmental delay, seizures since the age of 2 and microcephaly. Her height is
on the 2nd centile. There is no hearing loss and no cardiac murmur. She denies headaches.
Her mother has epilepsy; her maternal uncle had learning difficulties.
Current medication: levetiracetam 250 mg twice daily, melatonin at night. Valproate was stopped
last year because of tremor.
Allergies: penicillin (rash); codeine - vomiting; latex.
Examination showed hypotonia, a broad nasal bridge and bilateral 2-3 toe syndactyly. No scoliosis.
Plan: MRI brain and an epilepsy gene panel.
"""

PROGRESS_NOTE = """NEONATAL UNIT PROGRESS NOTE
Day of life 6, corrected GA 36+1 weeks. Baby girl of Ms Okafor.
Resp: in air since day 3. No apnoeas or desaturations overnight.
CVS: HR 150, soft systolic murmur at the left sternal edge. Echo showed a small ASD.
Feeds: full NG feeds of EBM, tolerating well, no vomiting, abdomen soft.
Jaundice: SBR 190, below the phototherapy line.
Neuro: hypotonic, weak cry. No seizures. Cranial ultrasound normal.
Skin: single palmar creases, clinodactyly of the fifth fingers.
Impression: dysmorphic features; awaiting microarray.
Meds: caffeine citrate, vitamin D drops.
"""
ED_NOTES = """ED: 5 yo with a barking cough, stridor at rest and a hoarse voice. Temp 38.2. No drooling.
Croup score 4. Given dexamethasone 0.15 mg/kg PO.
ED TRIAGE: 7 y/o M, fall from a climbing frame. Deformity R wrist. Pain 7/10. No LOC, no vomiting.
Allergies: peanut (anaphylaxis) - carries EpiPen.
ED note: 24 yo F, sudden severe headache, photophobia, neck stiffness, vomited twice. GCS 15.
"""
NOTES = {"letter": LETTER, "progress": PROGRESS_NOTE, "ed": ED_NOTES}
"""The built-in notes: a clinic letter, a neonatal progress note, and emergency notes without
the words that end a clause (no ``;``, "but", "now", "taking": the longest look-ahead)."""


def _note(base: str, size: int) -> str:
    return (base * (size // len(base) + 1))[:size]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print one line per size."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kg", type=Path, required=True, help="the bundle folder")
    ap.add_argument("--note", type=Path, help="the note to repeat (default: a clinic letter)")
    ap.add_argument("--sizes", default="10000,100000,1000000,8000000", help="note sizes in characters")
    args = ap.parse_args(argv)
    notes = {args.note.name: args.note.read_text(encoding="utf-8")} if args.note else NOTES
    rec = Recognizer.from_bundle(args.kg)
    for name, base in notes.items():
        print(f"\n{name}")
        _sizes(rec, base, [int(s) for s in args.sizes.split(",")])
    return 0


def _sizes(rec: Recognizer, base: str, sizes: list[int]) -> None:
    """One line per size for one note."""
    print(f"{'characters':>11} {'case s':>8} {'chars/s':>10} {'recogniser s':>13} {'x recogniser':>13} "
          f"{'x smallest (per char)':>22} {'present':>8} {'excluded':>9}")
    first_rate = None
    for size in sizes:
        text = _note(base, size)
        t0 = time.perf_counter()
        rec.extract(text, "bench")
        rec_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        case = case_from_text(text, rec)
        case_s = time.perf_counter() - t0
        rate = size / case_s
        first_rate = first_rate or rate
        print(f"{size:>11,} {case_s:8.2f} {rate:10,.0f} {rec_s:13.2f} {case_s / rec_s:13.2f} "
              f"{first_rate / rate:22.2f} {len(case.present):8} {len(case.excluded):9}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
