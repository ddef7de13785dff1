using System;

namespace FmsTools.Sandbox
{
    /// <summary>
    /// The sandbox's notion of "now" for simulated behaviour (remediation convergence, admin role
    /// set-up, timestamps on objects). It follows the real clock plus an offset that tests and users
    /// move forward with Advance, so convergence can be driven without waiting. SigV4 and temporary
    /// credential expiry use the real clock, as the callers' SDKs do.
    /// </summary>
    public sealed class SandboxClock
    {
        private readonly object _gate = new object();
        private readonly Func<DateTime> _realUtcNow;
        private TimeSpan _offset;
        private DateTime? _frozenAt;

        public SandboxClock() : this(() => DateTime.UtcNow) { }

        /// <summary>For tests: a clock over another time source.</summary>
        public SandboxClock(Func<DateTime> realUtcNow) { _realUtcNow = realUtcNow; }

        /// <summary>Raised after Advance/Set, outside the clock's lock, so the host can converge state.</summary>
        public event EventHandler<DateTime>? Advanced;

        public DateTime UtcNow
        {
            get
            {
                lock (_gate) return (_frozenAt ?? _realUtcNow()) + _offset;
            }
        }

        /// <summary>How far the sandbox clock runs ahead of the real one.</summary>
        public TimeSpan Offset
        {
            get { lock (_gate) return _offset; }
        }

        public override string ToString()
            => UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) + (IsFrozen ? " (frozen)" : "");

        /// <summary>True when the clock stands still except for Advance (deterministic tests).</summary>
        public bool IsFrozen
        {
            get { lock (_gate) return _frozenAt.HasValue; }
        }

        /// <summary>Moves the clock forward and runs everything that became due (remediation, role set-up).</summary>
        public DateTime Advance(TimeSpan by)
        {
            if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "The sandbox clock only moves forward.");
            DateTime now;
            lock (_gate)
            {
                _offset += by;
                now = (_frozenAt ?? _realUtcNow()) + _offset;
            }
            Advanced?.Invoke(this, now);
            return now;
        }

        /// <summary>Stops the clock following real time; only Advance moves it afterwards.</summary>
        public void Freeze()
        {
            lock (_gate)
            {
                if (!_frozenAt.HasValue) _frozenAt = _realUtcNow();
            }
        }

        /// <summary>Resumes following real time from the current sandbox time.</summary>
        public void Unfreeze()
        {
            lock (_gate)
            {
                if (!_frozenAt.HasValue) return;
                var now = _frozenAt.Value + _offset;
                _frozenAt = null;
                _offset = now - _realUtcNow();
            }
        }
    }
}
