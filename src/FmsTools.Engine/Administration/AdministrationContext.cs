using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Administration
{
    /// <summary>
    /// What the administration services (lists, resource sets, the notification channel, administrators, tags) share: the
    /// FMS client, the Region it calls, and the change journal. Every state-changing call they send goes through
    /// <see cref="SendAsync{T}"/>, which records it in the journal with the state before and after and its outcome.
    /// </summary>
    public sealed class AdministrationContext
    {
        public AdministrationContext(IFmsClient fms, string? region = null, IChangeJournal? journal = null)
        {
            Fms = fms ?? throw new ArgumentNullException(nameof(fms));
            Region = region;
            Journal = journal;
        }

        internal IFmsClient Fms { get; }

        /// <summary>The Region the client calls; stamped on journal entries and on objects whose ARN names none.</summary>
        public string? Region { get; }

        /// <summary>
        /// Where every state-changing call is recorded with the state before and after and its outcome (null records
        /// nothing). The state before is read just before the call, unless the caller passes the state it has just read
        /// itself (the Remove- cmdlets read it for their prompt); only calls actually sent are recorded.
        /// </summary>
        public IChangeJournal? Journal { get; }

        /// <summary>The Region an object lives in: the one its ARN names, else the Region it was read from.</summary>
        internal string? RegionOf(string? arn)
        {
            if (arn != null && arn.StartsWith("arn:", StringComparison.Ordinal))
            {
                var parts = arn.Split(new[] { ':' }, 6);
                if (parts.Length == 6 && parts[3].Length > 0) return parts[3];
            }
            return Region;
        }

        /// <summary>
        /// The state before a change, for the journal (null without one). A state the service refuses to show (an error
        /// answer) is recorded as unknown (null) and the change goes ahead; a transport failure stops the command here,
        /// before anything is sent.
        /// </summary>
        internal async Task<T?> BeforeAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken ct) where T : class?
            => Journal == null ? null : await TryReadAsync(read, ct).ConfigureAwait(false);

        /// <summary>
        /// The current state of an object about to change: null when the service refuses to show it (an error answer, e.g.
        /// it does not exist yet); a transport failure stops the command here, before anything is sent.
        /// </summary>
        internal static async Task<T?> TryReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken ct) where T : class?
        {
            try
            {
                return await read(ct).ConfigureAwait(false);
            }
            catch (AwsServiceException)
            {
                return null;
            }
        }

        /// <summary>Sends one state-changing call; with a journal, a failure is recorded (with the attempted document) before it is rethrown.</summary>
        internal async Task<T> SendAsync<T>(ChangeRecord? change, Func<CancellationToken, Task<T>> send, CancellationToken ct)
        {
            if (change == null) return await send(ct).ConfigureAwait(false);
            change.Region ??= Region;
            using (var requestIds = AwsRequestIdScope.Begin())
            {
                try
                {
                    var result = await send(ct).ConfigureAwait(false);
                    change.RequestId = requestIds.LastRequestId;
                    return result;
                }
                catch (Exception e) when (!(e is AwsRequestValidationException))
                {
                    // AwsRequestValidationException: refused locally before sending, so there is no change to record.
                    change.Error = e;
                    change.RequestId = requestIds.LastRequestId;
                    await ChangeRecorder.RecordAsync(Journal, change, ct).ConfigureAwait(false);
                    throw;
                }
            }
        }

        /// <summary>Records a change that was sent and succeeded, with what it left.</summary>
        internal async Task CompletedAsync(ChangeRecord? change, string? targetId, string? targetName, string? afterDocument, CancellationToken ct)
        {
            if (change == null) return;
            change.TargetId = targetId ?? change.TargetId;
            change.TargetName = targetName ?? change.TargetName;
            change.AfterDocument = afterDocument;
            await ChangeRecorder.RecordAsync(Journal, change, ct).ConfigureAwait(false);
        }

        /// <summary>The journal entry of a change about to be sent, or null when nothing is journaled.</summary>
        internal ChangeRecord? Change(ChangeTargetType targetType, string operation, string? targetId, string? targetName = null)
            => Journal == null ? null : new ChangeRecord { TargetType = targetType, Operation = operation, TargetId = targetId, TargetName = targetName };

        /// <summary>-Tag values for a Put call (checked first); null when there are none.</summary>
        internal static List<Tag>? ToTags(IReadOnlyDictionary<string, string>? tags)
        {
            if (tags == null || tags.Count == 0) return null;
            var findings = new List<InputFinding>();
            foreach (var t in tags) InputRules.Tag(findings, $"Tag[{t.Key}]", t.Key, t.Value);
            InputRules.ThrowIfAny(findings);
            return tags.Select(t => new Tag { Key = t.Key, Value = t.Value ?? "" }).ToList();
        }

        /// <summary>Errors a stale update token may come back as; the caller re-reads to tell a conflict from other failures.</summary>
        internal static bool IsPossibleConflict(AwsServiceException e)
            => e.ErrorCode == "InvalidOperationException" || e.ErrorCode == "InvalidInputException" || e.ErrorCode == "OptimisticLockException"
               || e.ErrorCode == "ConflictException";
    }
}
