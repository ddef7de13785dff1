using FmsTools.Aws.Fms;
using FmsTools.Engine.History;

namespace FmsTools.Engine.Administration
{
    /// <summary>The SNS topic (and the role FMS publishes with) that Firewall Manager sends non-compliance notifications to.</summary>
    public sealed class NotificationChannelService
    {
        private readonly AdministrationContext _context;

        public NotificationChannelService(AdministrationContext context)
        {
            _context = context;
        }

        public async Task<FmsNotificationChannel> GetNotificationChannelAsync(CancellationToken ct)
        {
            var r = await _context.Fms.GetNotificationChannelAsync(new GetNotificationChannelRequest(), ct).ConfigureAwait(false);
            var channel = new FmsNotificationChannel { SnsTopicArn = r.SnsTopicArn, SnsRoleName = r.SnsRoleName };
            AdditionalMembers.Copy(r.AdditionalMembers, channel.AdditionalFields);
            return channel;
        }

        /// <summary>
        /// With <c>current</c>, the channel as the caller has just read it: it is the journal's state before, not read again;
        /// null reads it here. Its newer-API members (unknown to this version) go back with the new topic and role:
        /// PutNotificationChannel replaces the whole channel.
        /// </summary>
        public async Task<FmsNotificationChannel> SetNotificationChannelAsync(string snsTopicArn, string snsRoleArn, FmsNotificationChannel? current, CancellationToken ct)
        {
            Validate(snsTopicArn, snsRoleArn);
            current ??= await AdministrationContext.TryReadAsync(GetNotificationChannelAsync, ct).ConfigureAwait(false);
            return await SetNotificationChannelAsync(snsTopicArn, snsRoleArn, current, current?.AdditionalFields, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Sets the channel, sending <paramref name="additionalFields"/> (may be null) as its newer-API members beside the known
        /// ones, never in place of one (an update sends the deployed channel's, a create from a file the file's).
        /// <paramref name="current"/>: the channel as read before (null: none), for the journal.
        /// </summary>
        internal async Task<FmsNotificationChannel> SetNotificationChannelAsync(string snsTopicArn, string snsRoleArn, FmsNotificationChannel? current,
            IDictionary<string, System.Text.Json.Nodes.JsonNode?>? additionalFields, CancellationToken ct)
        {
            Validate(snsTopicArn, snsRoleArn);
            var change = _context.Change(ChangeTargetType.NotificationChannel, ChangeOperations.SetNotificationChannel, snsTopicArn);
            if (change != null)
            {
                change.BeforeDocument = ChangeDocuments.Write(current);
                change.AfterDocument = ChangeDocuments.Write(new FmsNotificationChannel { SnsTopicArn = snsTopicArn, SnsRoleName = snsRoleArn });
            }
            var request = new PutNotificationChannelRequest
            {
                SnsTopicArn = snsTopicArn, SnsRoleName = snsRoleArn,
                AdditionalMembers = AdditionalMembers.Unknown(additionalFields, typeof(PutNotificationChannelRequest)),
            };
            await _context.SendAsync(change, c => _context.Fms.PutNotificationChannelAsync(request, c), ct).ConfigureAwait(false);
            FmsNotificationChannel stored;
            try
            {
                stored = await GetNotificationChannelAsync(ct).ConfigureAwait(false);
            }
            catch (Exception) when (change != null)
            {
                // The channel was set; the read-back failing must not keep that out of the journal.
                await _context.CompletedAsync(change, snsTopicArn, null, change.AfterDocument, ct).ConfigureAwait(false);
                throw;
            }
            await _context.CompletedAsync(change, snsTopicArn, null, ChangeDocuments.Write(stored), ct).ConfigureAwait(false);
            return stored;
        }

        private static void Validate(string snsTopicArn, string snsRoleArn)
        {
            var findings = new List<InputFinding>();
            InputRules.NotificationChannel(findings, snsTopicArn, snsRoleArn);
            InputRules.ThrowIfAny(findings);
        }

        /// <summary>With <c>current</c>, the channel as the caller has just read it (what the user confirmed removing): it is the journal's state before, not read again; null reads it here.</summary>
        public async Task DeleteNotificationChannelAsync(FmsNotificationChannel? current, CancellationToken ct)
        {
            var change = _context.Change(ChangeTargetType.NotificationChannel, ChangeOperations.DeleteNotificationChannel, null);
            if (change != null)
            {
                var before = current ?? await _context.BeforeAsync(GetNotificationChannelAsync, ct).ConfigureAwait(false);
                change.TargetId = before?.SnsTopicArn;
                change.BeforeDocument = ChangeDocuments.Write(before);
            }
            await _context.SendAsync(change, c => _context.Fms.DeleteNotificationChannelAsync(new DeleteNotificationChannelRequest(), c), ct).ConfigureAwait(false);
            await _context.CompletedAsync(change, change?.TargetId, null, null, ct).ConfigureAwait(false);
        }
    }
}
