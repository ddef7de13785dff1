using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace FmsTools.Sandbox
{
    /// <summary>A token bucket: Burst requests at once, refilled at RatePerSecond.</summary>
    public sealed class RateLimit
    {
        public RateLimit(double ratePerSecond, int burst)
        {
            if (ratePerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(ratePerSecond), "The rate must be positive.");
            if (burst < 1) throw new ArgumentOutOfRangeException(nameof(burst), "The burst must be at least 1.");
            RatePerSecond = ratePerSecond;
            Burst = burst;
        }

        public double RatePerSecond { get; }
        public int Burst { get; }

        public override string ToString() => RatePerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/s, burst " + Burst;
    }

    /// <summary>
    /// Per-operation token buckets. Keys are "Operation" (any service), "service:Operation"
    /// (e.g. "fms:PutPolicy") or "*" for every operation; the most specific key wins. Buckets refill on
    /// the real monotonic clock: throttling is about request rate, not simulated time.
    /// </summary>
    public sealed class RateLimiter
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, RateLimit> _limits = new Dictionary<string, RateLimit>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Bucket> _buckets = new Dictionary<string, Bucket>(StringComparer.OrdinalIgnoreCase);
        private readonly Stopwatch _time = Stopwatch.StartNew();

        private sealed class Bucket
        {
            public double Tokens;
            public double LastSeconds;
        }

        /// <summary>Sets (or with null removes) the limit for a key.</summary>
        public void Set(string key, RateLimit? limit)
        {
            lock (_gate)
            {
                if (limit is null) _limits.Remove(key);
                else _limits[key] = limit;
                _buckets.Remove(key);
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _limits.Clear();
                _buckets.Clear();
            }
        }

        public override string ToString()
        {
            var limits = Limits;
            return limits.Count == 0 ? "no rate limits" : string.Join("; ", limits.Select(l => l.Key + "=" + l.Value));
        }

        public IReadOnlyDictionary<string, RateLimit> Limits
        {
            get { lock (_gate) return new Dictionary<string, RateLimit>(_limits, StringComparer.OrdinalIgnoreCase); }
        }

        /// <summary>Takes a token for the call; false means answer ThrottlingException.</summary>
        internal bool TryAcquire(string service, string operation)
        {
            lock (_gate)
            {
                if (_limits.Count == 0) return true;
                string key;
                RateLimit? limit;
                if (_limits.TryGetValue(key = service + ":" + operation, out limit)
                    || _limits.TryGetValue(key = operation, out limit)
                    || _limits.TryGetValue(key = "*", out limit))
                {
                    var now = _time.Elapsed.TotalSeconds;
                    if (!_buckets.TryGetValue(key, out var bucket))
                    {
                        bucket = new Bucket { Tokens = limit.Burst, LastSeconds = now };
                        _buckets[key] = bucket;
                    }
                    bucket.Tokens = Math.Min(limit.Burst, bucket.Tokens + (now - bucket.LastSeconds) * limit.RatePerSecond);
                    bucket.LastSeconds = now;
                    if (bucket.Tokens < 1) return false;
                    bucket.Tokens -= 1;
                }
                return true;
            }
        }
    }
}
