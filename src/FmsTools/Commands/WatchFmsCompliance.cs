using System.Threading;
using System.Threading.Tasks;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.History;

namespace FmsTools.Commands
{
    /// <summary>
    /// Watches compliance and writes one FmsComplianceChange per transition: an account or a resource that became
    /// non-compliant, or compliant again. Polls every -Interval seconds (-Count times, or until Ctrl+C), or with -Once
    /// compares one reading with the snapshot file of the previous run (for scheduled runbooks) and saves the new one.
    /// </summary>
    [Cmdlet(VerbsCommon.Watch, "FmsCompliance", DefaultParameterSetName = PollSet)]
    [OutputType(typeof(FmsComplianceChange))]
    public sealed class WatchFmsCompliance : FmsAccountFilterCmdlet
    {
        private const string PollSet = "Poll";
        private const string OnceSet = "Once";

        /// <summary>Policy names; wildcards allowed; none means every policy of the region.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsPolicyNameCompleter))]
        public string[]? PolicyName { get; set; }

        /// <summary>Seconds between readings.</summary>
        [Parameter(ParameterSetName = PollSet)]
        [ValidateRange(1, 86400)]
        public int Interval { get; set; } = 300;

        /// <summary>How many readings to compare after the first; 0 (the default) watches until Ctrl+C.</summary>
        [Parameter(ParameterSetName = PollSet)]
        [ValidateRange(0, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Takes one reading, compares it with -SnapshotPath and saves it there.</summary>
        [Parameter(ParameterSetName = OnceSet, Mandatory = true)]
        public SwitchParameter Once { get; set; }

        /// <summary>
        /// The snapshot file: with -Once it is required; while polling it is the first baseline when it exists (compared with a
        /// reading at once), and each reading is saved to it.
        /// </summary>
        [Parameter(ParameterSetName = OnceSet, Mandatory = true)]
        [Parameter(ParameterSetName = PollSet)]
        public string? SnapshotPath { get; set; }

        protected override void EndCore()
        {
            var path = SnapshotPath == null ? null : ResolvePath(SnapshotPath);
            if (Once.IsPresent && path == null)
                throw new FmsTerminatingException(new FmsError("SnapshotPathRequired", FmsErrorCategory.InvalidArgument, "-Once needs -SnapshotPath, the file that keeps the previous reading.", null));
            var previous = path == null ? null : LoadSnapshot(path);
            // A saved baseline is compared at once: what changed since the last run is reported without waiting an interval.
            var compareAtOnce = previous != null;
            if (previous == null)
            {
                previous = Read();
                if (path != null) previous.Save(path);
                WriteVerbose($"Baseline taken at {previous.TakenAt:u}: {previous.Rows.Count} policy × account row(s).");
                if (Once.IsPresent) return;
            }
            else if (Once.IsPresent)
            {
                Advance(previous, path);
                return;
            }
            for (var reading = 1; Count == 0 || reading <= Count; reading++)
            {
                var number = reading;
                if (!(compareAtOnce && reading == 1))
                    Await((r, ct) => Clock.Delay(TimeSpan.FromSeconds(Interval), ct));
                // A reading that fails (a service error after retries, a policy deleted meanwhile) is reported and skipped:
                // a long watch goes on, and the next reading is compared with the last one that succeeded.
                var baseline = previous;
                TryItem(PolicyName, () => baseline = Advance(baseline, path));
                previous = baseline;
            }
        }

        /// <summary>Takes a reading, writes its transitions since <paramref name="previous"/>, saves it and returns the next baseline.</summary>
        private ComplianceSnapshot Advance(ComplianceSnapshot previous, string? path)
        {
            var current = Read();
            Write(ComplianceSnapshot.Compare(previous, current));
            var next = current.KeepKnownFrom(previous);
            if (path != null) next.Save(path);
            return next;
        }

        private void Write(IEnumerable<FmsComplianceChange> changes)
        {
            foreach (var change in changes) WriteObject(change);
        }

        private ComplianceSnapshot Read()
        {
            var query = new ComplianceQuery
            {
                AccountIds = Accounts,
                IncludeViolators = true,
            };
            var region = DefaultRegion;
            var rows = Run(async ct =>
            {
                var service = ServiceFor(region);
                var read = new List<FmsComplianceStatus>();
                foreach (var policy in await PoliciesByNameAsync(region, PolicyName, ct).ConfigureAwait(false))
                    await foreach (var row in service.GetComplianceStatusAsync(policy, query, ct).ConfigureAwait(false))
                        read.Add(row);
                return read;
            });
            return ComplianceSnapshot.From(rows, Clock.UtcNow);
        }

        private ComplianceSnapshot? LoadSnapshot(string path)
        {
            try
            {
                return ComplianceSnapshot.Load(path);
            }
            catch (Exception e) when (e is System.IO.InvalidDataException || e is System.Text.Json.JsonException)
            {
                throw new FmsTerminatingException(new FmsError("SnapshotInvalid", FmsErrorCategory.InvalidData,
                    $"{path} is not a compliance snapshot written by Watch-FmsCompliance: {e.Message}", path, e,
                    "Delete the file (the next run takes a new baseline) or pass another -SnapshotPath."));
            }
        }
    }
}
