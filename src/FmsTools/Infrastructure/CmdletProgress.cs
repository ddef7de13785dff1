namespace FmsTools.Infrastructure
{
    /// <summary>The progress activity ids of FmsTools' long-running cmdlets (one per activity, so bars never mix).</summary>
    internal static class ProgressActivity
    {
        public const int ReadPolicies = 0x4653_0001;
        public const int SyncPolicies = 0x4653_0002;
        public const int ExportPolicies = 0x4653_0003;
        public const int ResourceSetResources = 0x4653_0004;
        public const int StartSandbox = 0x4653_0005;
        public const int ExportConfiguration = 0x4653_0006;
        public const int SyncConfiguration = 0x4653_0007;
    }

    /// <summary>
    /// Write-Progress for one activity of a cmdlet: counted steps (with a percentage when the total is known)
    /// and exactly one Completed record when disposed, so the bar never lingers. Steps may come from engine
    /// threads through an <see cref="IOperationReporter"/>; the writer given decides the thread.
    /// </summary>
    internal sealed class CmdletProgress : IDisposable
    {
        private readonly object _gate = new object();
        private readonly Action<FmsProgress> _write;
        private readonly int _activityId;
        private readonly string _activity;
        private readonly string _unit;
        private int? _total;
        private int _done;
        private bool _completed;

        /// <param name="write">Where records go: WriteFmsProgress on the pipeline thread, or a reporter's Progress.</param>
        /// <param name="activityId">One of <see cref="ProgressActivity"/>.</param>
        /// <param name="activity">The bar's title.</param>
        /// <param name="unit">What is counted, plural ("policies"), for the status line.</param>
        /// <param name="total">The number of steps when known, for a percentage.</param>
        public CmdletProgress(Action<FmsProgress> write, int activityId, string activity, string unit, int? total = null)
        {
            _write = write;
            _activityId = activityId;
            _activity = activity;
            _unit = unit;
            _total = total;
        }

        public int Done { get { lock (_gate) return _done; } }

        /// <summary>Sets or changes the expected number of steps (e.g. once a plan is known).</summary>
        public void SetTotal(int total)
        {
            lock (_gate) _total = total;
        }

        /// <summary>Reports a phase without counting a step.</summary>
        public void Status(string status, string? currentOperation = null)
        {
            lock (_gate)
            {
                if (_completed) return;
                _write(Record(status, currentOperation));
            }
        }

        /// <summary>Counts one finished step and reports it.</summary>
        public void Step(string? currentOperation)
        {
            lock (_gate)
            {
                if (_completed) return;
                _done++;
                var status = _total.HasValue ? $"{_done} of {_total.Value} {_unit}" : $"{_done} {_unit}";
                _write(Record(status, currentOperation));
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_completed) return;
                _completed = true;
                _write(new FmsProgress(_activityId, _activity, $"Completed: {_done} {_unit}") { Completed = true, PercentComplete = 100 });
            }
        }

        private FmsProgress Record(string status, string? currentOperation)
        {
            var percent = _total.HasValue && _total.Value > 0 ? Math.Min(100, _done * 100 / _total.Value) : -1;
            return new FmsProgress(_activityId, _activity, status) { CurrentOperation = currentOperation, PercentComplete = percent };
        }
    }
}
