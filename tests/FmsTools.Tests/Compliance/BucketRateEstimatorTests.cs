using System;
using System.Linq;
using FmsTools.Engine.Compliance;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    /// <summary>The throttle learns a token bucket's rate from the throttled answers and paces just under it.</summary>
    public class BucketRateEstimatorTests
    {
        /// <summary>
        /// Sends at <paramref name="sendRate"/> against a bucket of <paramref name="bucketRate"/> (starting empty), each
        /// call arriving <paramref name="latencyMs"/> after it is sent, and feeds every throttled one to the estimator.
        /// </summary>
        private static (BucketRateEstimator Estimator, int Throttled) Simulate(double sendRate, double bucketRate, double burst, int calls, double latencyMs = 3)
        {
            var estimator = new BucketRateEstimator();
            var tokens = 0.0;
            var last = TimeSpan.Zero;
            var throttled = 0;
            for (var i = 0; i < calls; i++)
            {
                var sentAt = TimeSpan.FromSeconds(i / sendRate);
                var arrival = sentAt + TimeSpan.FromMilliseconds(latencyMs);
                tokens = Math.Min(burst, tokens + (arrival - last).TotalSeconds * bucketRate);
                last = arrival;
                if (tokens >= 1) { tokens -= 1; continue; }
                throttled++;
                estimator.OnThrottle(i, sentAt);
            }
            return (estimator, throttled);
        }

        /// <summary>An estimator that has measured one span of one second at <paramref name="rate"/> calls per second.</summary>
        private static BucketRateEstimator LearntAt(int rate)
        {
            var estimator = new BucketRateEstimator();
            estimator.OnThrottle(0, TimeSpan.Zero);
            estimator.OnThrottle(rate + 1, TimeSpan.FromSeconds(1));
            Assert.Equal(rate, estimator.Rate!.Value, 3);
            return estimator;
        }

        [Theory]
        [InlineData(550, 500, 100)]
        [InlineData(800, 500, 100)]
        [InlineData(25, 20, 5)]
        public void Sending_above_a_bucket_learns_its_rate(double sendRate, double bucketRate, double burst)
        {
            var (estimator, throttled) = Simulate(sendRate, bucketRate, burst, calls: (int)(sendRate * 4));
            Assert.True(throttled > 10, "the bucket never ran empty: the test proves nothing");
            Assert.NotNull(estimator.Rate);
            Assert.InRange(estimator.Rate!.Value, bucketRate * 0.99, bucketRate * 1.01);
        }

        [Fact]
        public void No_rate_is_claimed_before_a_span_was_measured()
        {
            var estimator = new BucketRateEstimator();
            Assert.Null(estimator.Rate);
            estimator.OnThrottle(10, TimeSpan.FromSeconds(1));
            Assert.Null(estimator.Rate);
            // A second throttle 1 ms later is jitter, not a measurement.
            estimator.OnThrottle(11, TimeSpan.FromSeconds(1.001));
            Assert.Null(estimator.Rate);
            Assert.Equal(0, estimator.Spans);
            estimator.OnThrottle(111, TimeSpan.FromSeconds(1.2));
            Assert.Equal(1, estimator.Spans);
            Assert.Equal(99 / 0.2, estimator.Rate!.Value, 3);
        }

        [Fact]
        public void A_throttle_answered_late_is_not_counted_as_a_call_that_got_through()
        {
            var estimator = LearntAt(100);
            // Call 50 was throttled too, but its answer came after call 101's.
            estimator.OnThrottle(50, TimeSpan.FromSeconds(0.5));
            Assert.Equal(99, estimator.Rate!.Value, 3);
            // And it is not taken off the next span either.
            estimator.OnThrottle(202, TimeSpan.FromSeconds(2));
            var fade = Math.Exp(-1.0 / 8);
            Assert.Equal((99 * fade + 100) / (fade + 1), estimator.Rate!.Value, 3);
        }

        [Fact]
        public void A_long_span_below_the_estimate_is_a_lower_bound_and_does_not_lower_it()
        {
            var estimator = LearntAt(500);
            // Ten seconds at half the rate: the bucket filled and overflowed, so the span says "at least 250/s" only.
            estimator.OnThrottle(501 + 2501, TimeSpan.FromSeconds(11));
            Assert.Equal(500, estimator.Rate!.Value, 3);
            Assert.Equal(250, estimator.LastSpanRate!.Value, 3);
        }

        [Fact]
        public void A_lower_rate_measured_over_short_spans_is_followed()
        {
            var estimator = LearntAt(500);
            // Another client now takes half the bucket: spans of 0.5 s at 250/s.
            long sequence = 501;
            for (var i = 1; i <= 40; i++) estimator.OnThrottle(sequence += 126, TimeSpan.FromSeconds(1 + i * 0.5));
            Assert.InRange(estimator.Rate!.Value, 250, 260);
        }
    }
}
