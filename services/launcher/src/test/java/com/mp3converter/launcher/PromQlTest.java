package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {
  @Test
  void metricNamesAreFoundAndFunctionsLabelsAndKeywordsAreNot() {
    assertThat(PromQl.metricNames("""
        sum(rate(mp3_jobs_failed_total{reason=~"timeout|internal_error"}[15m]))
        / (sum(rate(mp3_jobs_completed_total[15m])) + sum by (reason) (rate(mp3_jobs_failed_total[15m])))
        > 0.1 and on() max(mp3_queue_messages{queue="worker.conversions"}) > 0""")).containsExactly(
        "mp3_jobs_failed_total", "mp3_jobs_completed_total", "mp3_queue_messages");
    assertThat(PromQl.metricNames(
        "histogram_quantile(0.95, sum by (le, step) (rate(mp3_conversion_seconds_bucket[15m]))) * 60"))
        .containsExactly("mp3_conversion_seconds_bucket");
    assertThat(PromQl.metricNames("max(process_cpu_usage) > bool 1e3 unless jvm_memory_used_bytes offset 5m"))
        .containsExactly("process_cpu_usage", "jvm_memory_used_bytes");
  }
}
