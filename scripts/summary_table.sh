#!/usr/bin/env bash
# Prints a daf-ablate summary.csv as a Markdown table: MAE, Has0_F1_score and
# Corr, mean ± std over seeds, one row per condition.
#   scripts/summary_table.sh runs/ablate-demo/summary.csv
set -euo pipefail
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
                   printf "| %-9s | %-17s | %-17s | %-17s |\n|-----------|-------------------|-------------------|-------------------|\n", "condition", "MAE", "Has0_F1_score", "Corr"; next }
         { printf "| %-9s | %.4f ± %.4f  | %.4f ± %.4f  | %.4f ± %.4f  |\n", $1, $col["MAE_mean"], $col["MAE_std"],
           $col["Has0_F1_score_mean"], $col["Has0_F1_score_std"], $col["Corr_mean"], $col["Corr_std"] }' "${1:?usage: summary_table.sh SUMMARY.csv}"
