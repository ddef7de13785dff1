using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace FmsTools.Sandbox
{
    /// <summary>What an injected fault does to a request.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public enum FaultKind
    {
        /// <summary>HTTP 500 InternalFailure (the generic AWS server error; SDKs retry it).</summary>
        InternalFailure,
        /// <summary>HTTP 503 ServiceUnavailable.</summary>
        ServiceUnavailable,
        /// <summary>HTTP 400 InternalErrorException, FMS's modeled transient error.</summary>
        InternalErrorException,
        /// <summary>HTTP 400 ThrottlingException.</summary>
        Throttling,
        /// <summary>TCP reset instead of a response.</summary>
        ConnectionReset,
        /// <summary>Delay the (otherwise normal) response by LatencyMs.</summary>
        Latency,
        /// <summary>
        /// Serve the request (a mutation is applied) and then reset the connection instead of answering: the
        /// answer lost on the way back, the case in which a blind retry applies a non-idempotent call twice.
        /// </summary>
        ResponseLost,
    }

    /// <summary>
    /// One fault rule: applies to Operation ("PutPolicy", "fms:PutPolicy" or "*"), either to the next
    /// Count matching requests (a script) or to each matching request with probability Rate (seeded).
    /// </summary>
    public sealed class FaultRule
    {
        [JsonPropertyName("operation")] public string Operation { get; set; } = "*";
        [JsonPropertyName("kind")] public FaultKind Kind { get; set; } = FaultKind.InternalFailure;

        /// <summary>Fail exactly this many matching requests, then retire the rule. Null: use Rate.</summary>
        [JsonPropertyName("count")] public int? Count { get; set; }

        /// <summary>Probability 0..1 per matching request when Count is null.</summary>
        [JsonPropertyName("rate")] public double Rate { get; set; }

        [JsonPropertyName("latencyMs")] public int LatencyMs { get; set; }

        public override string ToString() => Operation + ": " + Kind + (LatencyMs > 0 ? " +" + LatencyMs + " ms" : "");

        internal bool Matches(string service, string operation)
            => Operation == "*"
               || string.Equals(Operation, operation, StringComparison.Ordinal)
               || string.Equals(Operation, service + ":" + operation, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The faults to inject; rules are consulted in the order they were added.</summary>
    public sealed class FaultInjector
    {
        private readonly object _gate = new object();
        private readonly List<FaultRule> _rules = new List<FaultRule>();
        private Random _random;

        public FaultInjector(int seed = 1) { _random = new Random(seed); }

        public void Add(FaultRule rule)
        {
            if (rule is null) throw new ArgumentNullException(nameof(rule));
            if (rule.Count is null && (rule.Rate < 0 || rule.Rate > 1))
                throw new ArgumentOutOfRangeException(nameof(rule), "Rate must be between 0 and 1.");
            if (rule.Count is int count && count < 1) throw new ArgumentOutOfRangeException(nameof(rule), "Count must be at least 1.");
            lock (_gate) _rules.Add(rule);
        }

        /// <summary>Scripted faults: fail the next <paramref name="count"/> calls of an operation.</summary>
        public void FailNext(string operation, int count, FaultKind kind = FaultKind.InternalFailure)
            => Add(new FaultRule { Operation = operation, Count = count, Kind = kind });

        public void Clear()
        {
            lock (_gate) _rules.Clear();
        }

        /// <summary>Restarts the random sequence so rate-based faults repeat exactly.</summary>
        public void Reseed(int seed)
        {
            lock (_gate) _random = new Random(seed);
        }

        public override string ToString()
        {
            var rules = Rules;
            return rules.Count == 0 ? "no faults" : string.Join("; ", rules);
        }

        public IReadOnlyList<FaultRule> Rules
        {
            get { lock (_gate) return _rules.ToArray(); }
        }

        /// <summary>The faults that hit this request: at most one failure plus any latency.</summary>
        internal (FaultRule? Failure, int LatencyMs) Decide(string service, string operation)
        {
            lock (_gate)
            {
                if (_rules.Count == 0) return (null, 0);
                FaultRule? failure = null;
                var latency = 0;
                for (var i = 0; i < _rules.Count; i++)
                {
                    var rule = _rules[i];
                    if (!rule.Matches(service, operation)) continue;
                    if (rule.Kind != FaultKind.Latency && failure != null) continue;
                    bool fires;
                    if (rule.Count is int remaining)
                    {
                        fires = true;
                        if (remaining <= 1)
                        {
                            _rules.RemoveAt(i);
                            i--;
                        }
                        else
                        {
                            rule.Count = remaining - 1;
                        }
                    }
                    else
                    {
                        fires = _random.NextDouble() < rule.Rate;
                    }
                    if (!fires) continue;
                    if (rule.Kind == FaultKind.Latency) latency += rule.LatencyMs;
                    else failure = rule;
                }
                return (failure, latency);
            }
        }
    }
}
