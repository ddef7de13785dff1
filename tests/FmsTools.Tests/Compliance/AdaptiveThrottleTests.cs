using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Reports;
using Xunit;

namespace FmsTools.Tests.Compliance
{
    public class AdaptiveThrottleTests
    {
        private static AwsServiceException Throttling() => new AwsServiceException("ThrottlingException", "Rate exceeded", HttpStatusCode.BadRequest, "r", "Op");

        [Fact]
        public async Task Report_backs_off_under_throttling_and_completes_without_duplicate_or_missing_rows()
        {
            var clock = new ManualClock();
            var fms = new FakeFms { CompliancePageSize = 50, ThrottleAboveInFlight = 3 };
            AdaptiveThrottle? observed = null;
            var lowestConcurrency = int.MaxValue;
            fms.Latency = async (op, ct) =>
            {
                if (op == "GetComplianceDetail")
                    lock (fms) lowestConcurrency = Math.Min(lowestConcurrency, observed!.CurrentConcurrency(op));
                await clock.Delay(TimeSpan.FromMilliseconds(20), ct);
                await Task.Yield();
            };
            var expected = new System.Collections.Generic.HashSet<string>();
            for (var p = 0; p < 2; p++)
            {
                var policy = fms.AddPolicy("p" + p);
                for (var a = 0; a < 300; a++)
                {
                    if (a % 2 == 0) fms.AddAccount(policy, TestData.Account(a), ("r" + a, "RESOURCE_MISSING_WEB_ACL"));
                    else fms.AddAccount(policy, TestData.Account(a));
                    expected.Add(policy.PolicyId + "/" + TestData.Account(a));
                }
            }
            var throttle = new AdaptiveThrottle(new AdaptiveThrottleOptions { InitialConcurrency = 8, MaxConcurrency = 16 }, clock.ToEngineClock());
            observed = throttle;
            var builder = new ComplianceReportBuilder(_ => fms.Client, throttle: throttle);

            var rows = await builder.BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" } }).ToListAsync();

            var keys = rows.Select(r => r.PolicyId + "/" + r.AccountId).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());
            Assert.True(expected.SetEquals(keys));
            Assert.True(fms.Throttled > 0, "the fake never throttled: the test proves nothing");
            Assert.True(lowestConcurrency <= 4, $"concurrency did not back off (lowest {lowestConcurrency})");
            Assert.All(rows.Where(r => r.StatusValue == FmsComplianceState.NonCompliant), r => Assert.Single(r.Violations));
            // Every call beyond the minimum is a throttled one, sent again once: no retry storms, no redundant calls.
            var minimum = 1 + 2 * 6 + 2 * 150;
            Assert.Equal(minimum + fms.Throttled, fms.TotalCalls);
            Assert.Equal(fms.Throttled, builder.Statistics.ThrottledCalls);
            Assert.True(fms.Throttled < minimum / 4, $"{fms.Throttled} throttled calls for {minimum} needed");
            Assert.Empty(builder.Statistics.Errors);
        }

        [Fact]
        public async Task A_burst_of_throttles_from_calls_sent_together_halves_concurrency_once()
        {
            var clock = new ManualClock();
            var throttle = new AdaptiveThrottle(new AdaptiveThrottleOptions { InitialConcurrency = 8, MaxConcurrency = 8 }, clock.ToEngineClock());
            var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = 0;
            var calls = Enumerable.Range(0, 8).Select(_ => throttle.RunAsync("Op", null, async ct =>
            {
                var first = true;
                lock (release) { first = attempts < 8; attempts++; }
                if (first) { await release.Task; throw Throttling(); }
                return 1;
            }, CancellationToken.None)).ToList();
            release.SetResult(true);
            await Task.WhenAll(calls);

            Assert.Equal(16, attempts);
            Assert.Equal(8, throttle.Statistics.Throttles("Op"));
            Assert.Equal(16, throttle.Statistics.Calls("Op"));
            // One halving (8 -> 4) then growth from 8 successes; eight halvings would have left 1 (+ growth < 4).
            Assert.InRange(throttle.CurrentConcurrency("Op"), 4, 8);
        }

        [Fact]
        public async Task Concurrency_never_exceeds_the_maximum()
        {
            var clock = new ManualClock();
            var fms = new FakeFms();
            fms.Latency = async (op, ct) => { await Task.Yield(); await Task.Yield(); };
            var policy = fms.AddPolicy("p");
            for (var a = 0; a < 200; a++) fms.AddAccount(policy, TestData.Account(a), ("r" + a, "RESOURCE_MISSING_WEB_ACL"));
            var throttle = new AdaptiveThrottle(new AdaptiveThrottleOptions { InitialConcurrency = 3, MaxConcurrency = 3 }, clock.ToEngineClock());
            var rows = await new ComplianceReportBuilder(_ => fms.Client, throttle: throttle)
                .BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" } }).ToListAsync();
            Assert.Equal(200, rows.Count);
            Assert.InRange(fms.MaxInFlightOf("GetComplianceDetail"), 2, 3);
        }

        [Fact]
        public async Task Throttle_retries_are_bounded_and_the_error_surfaces()
        {
            var clock = new ManualClock();
            var throttle = new AdaptiveThrottle(new AdaptiveThrottleOptions { MaxThrottleRetries = 4 }, clock.ToEngineClock());
            var attempts = 0;
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => throttle.RunAsync<int>("Op", null, ct =>
            {
                Interlocked.Increment(ref attempts);
                throw Throttling();
            }, CancellationToken.None));
            Assert.Equal("ThrottlingException", error.ErrorCode);
            Assert.Equal(5, attempts);
            Assert.True(clock.TotalDelay > TimeSpan.Zero, "throttled retries were not paced");
            Assert.Equal(1, throttle.CurrentConcurrency("Op"));
        }

        [Fact]
        public async Task Non_throttling_errors_are_not_retried()
        {
            var throttle = new AdaptiveThrottle(null, new ManualClock().ToEngineClock());
            var attempts = 0;
            await Assert.ThrowsAsync<AwsServiceException>(() => throttle.RunAsync<int>("Op", null, ct =>
            {
                attempts++;
                throw new AwsServiceException("AccessDeniedException", "no", HttpStatusCode.BadRequest, "r", "Op");
            }, CancellationToken.None));
            Assert.Equal(1, attempts);
        }

        [Fact]
        public void Sdk_level_retries_seen_by_the_observer_slow_the_gate_and_are_counted()
        {
            var throttle = new AdaptiveThrottle(null, new ManualClock().ToEngineClock());
            var before = throttle.CurrentRate("GetComplianceDetail");
            throttle.Observer.OnCall(new AwsCallRecord("FMS", "GetComplianceDetail", "us-east-1", null, "r", 3, 200, TimeSpan.FromMilliseconds(5), null));
            Assert.True(throttle.CurrentRate("GetComplianceDetail") < before);
            Assert.Equal(2, throttle.Statistics.Calls("GetComplianceDetail"));
            Assert.Equal(1, throttle.Statistics.Throttles("GetComplianceDetail"));
            Assert.Equal(4, throttle.CurrentConcurrency("GetComplianceDetail"));
        }

        /// <summary>
        /// One policy with <paramref name="accounts"/> non-compliant accounts, read by a serial client (window 1) on virtual
        /// time: each call costs <paramref name="latencyMs"/>, and every operation has its own token bucket.
        /// </summary>
        private static async Task<(ManualClock Clock, FakeFms Fms, AdaptiveThrottle Throttle, int Rows)> SerialScanAsync(
            double bucketRate, double burst, double latencyMs, int accounts)
        {
            var clock = new ManualClock();
            var fms = new FakeFms { BucketClock = clock, BucketRate = bucketRate, BucketBurst = burst };
            fms.Latency = (op, ct) => clock.Delay(TimeSpan.FromMilliseconds(latencyMs), ct);
            var policy = fms.AddPolicy("p");
            for (var a = 0; a < accounts; a++) fms.AddAccount(policy, TestData.Account(a), ("r" + a, "RESOURCE_MISSING_WEB_ACL"));
            var throttle = new AdaptiveThrottle(new AdaptiveThrottleOptions { InitialConcurrency = 1, MaxConcurrency = 1 }, clock.ToEngineClock());
            var rows = await new ComplianceReportBuilder(_ => fms.Client, throttle: throttle)
                .BuildAsync(new ComplianceReportRequest { Regions = { "us-east-1" } }).ToListAsync();
            return (clock, fms, throttle, rows.Count);
        }

        [Fact]
        public async Task Learnt_pacing_keeps_throttles_rare_under_a_token_bucket()
        {
            // Each call costs 10 ms, the service allows 20 calls/s with a burst of 5.
            var (clock, fms, _, rows) = await SerialScanAsync(20, 5, 10, 600);
            Assert.Equal(600, rows);
            var details = fms.CallsOf("GetComplianceDetail");
            Assert.True(fms.Throttled > 0);
            Assert.True(details <= 600 * 1.05, $"{details} GetComplianceDetail calls for 600 needed ({fms.Throttled} throttled)");
            // 600 calls at 20/s need 30 s at least; the learnt rate keeps the run close to that bound.
            Assert.True(clock.Now.TotalSeconds <= 30 * 1.15 + 1, $"took {clock.Now.TotalSeconds:0.0} virtual seconds");
        }

        [Fact]
        public async Task Paced_scan_under_a_token_bucket_stays_within_two_percent_of_the_minimum_calls_and_three_percent_of_the_rate_bound()
        {
            // 1 ms a call; the service allows 200 calls/s per operation with a burst of 40.
            const int accounts = 3000;
            var (clock, fms, throttle, rows) = await SerialScanAsync(200, 40, 1, accounts);

            Assert.Equal(accounts, rows);
            Assert.True(fms.Throttled > 0, "the bucket never refused a call: the test proves nothing");
            var minimum = 1 + accounts / 100 + accounts;
            Assert.True(fms.TotalCalls <= minimum * 1.02, $"{fms.TotalCalls} calls for {minimum} needed ({fms.Throttled} throttled)");
            // The bound: every detail call but the burst's at the bucket's rate.
            var bound = (accounts - 40) / 200.0;
            Assert.True(clock.Now.TotalSeconds <= bound * 1.03, $"took {clock.Now.TotalSeconds:0.00} virtual seconds against a bound of {bound:0.00}");
            Assert.InRange(throttle.LearntRate("GetComplianceDetail")!.Value, 196, 204);
        }
    }
}
