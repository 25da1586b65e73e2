// How far a run got, from its files alone (daf-export and daf-eval name unfinished runs).
#include "catch.h"

#include "daf/config/config.h"
#include "daf/model/run_progress.h"
#include "daf/util/atomic_file.h"
#include "test_helpers.h"

using daf::test::TempDir;

TEST_CASE("run progress: best epoch by the early-stopping metric, first of equals, NaN never best", "[runs]") {
  TempDir dir;
  daf::Config config;
  config.train.max_epochs = 400;
  config.train.early_stop_metric = "MAE";
  daf::write_file_atomic(dir.file("metrics.csv"),
                         "epoch,train_loss,valid_MAE,valid_Corr,lr,seconds,samples_per_s\n"
                         "1,0.9,0.80,0.1,0.001,1,1\n2,0.8,nan,0.2,0.001,1,1\n3,0.7,0.60,0.5,0.001,1,1\n"
                         "4,0.6,0.60,0.7,0.001,1,1\n5,0.5,0.65,0.6,0.001,1,1\n");
  daf::RunProgress progress = daf::read_run_progress(dir.path(), config);
  CHECK_FALSE(progress.finished);
  CHECK(progress.epochs_done == 5);
  CHECK(progress.best_epoch == 3);  // 0.60 at epochs 3 and 4: the first, as daf-train keeps it
  CHECK(daf::unfinished_run_note("runs/x", progress) ==
        "runs/x did not finish (5 of 400 epochs, no final_metrics.json): the weights are those of its best epoch so "
        "far, 3");
  config.train.early_stop_metric = "Corr";  // higher is better
  CHECK(daf::read_run_progress(dir.path(), config).best_epoch == 4);

  daf::write_file_atomic(dir.file("final_metrics.json"), "{}");
  progress = daf::read_run_progress(dir.path(), config);
  CHECK(progress.finished);
  CHECK(daf::unfinished_run_note("runs/x", progress).empty());
}

TEST_CASE("run progress: no metrics.csv yet, or a damaged one, reads as unfinished with unknown epochs", "[runs]") {
  TempDir dir;
  daf::Config config;
  const auto progress = daf::read_run_progress(dir.path(), config);
  CHECK_FALSE(progress.finished);
  CHECK(progress.epochs_done == 0);
  CHECK(daf::unfinished_run_note("r", progress) ==
        "r did not finish (no final_metrics.json): the weights are those of its best epoch so far");
  daf::write_file_atomic(dir.file("metrics.csv"), "epoch,valid_MAE\n1,\"0.5\n");
  CHECK(daf::read_run_progress(dir.path(), config).epochs_done == 0);
}
