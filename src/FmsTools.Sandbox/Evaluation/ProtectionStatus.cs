using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Evaluation
{
    /// <summary>
    /// GetProtectionStatus for Shield Advanced policies: the DDoS attacks on the policy's in-scope resources in a time window.
    /// The model only says Data is JSON with the attack type, account, resource ARN, start and end; the sandbox's shape is
    /// {"AttackSummaries":[{"AttackId","AccountId","ResourceArn","StartTime","EndTime","AttackVectors":[{"VectorType"}]}]}
    /// with epoch-second timestamps and EndTime null while an attack is ongoing (an assumption, not confirmed by AWS).
    /// </summary>
    public static class ProtectionStatus
    {
        /// <summary>Attacks on in-scope resources that overlap [start, end], newest first, optionally for one member account.</summary>
        public static List<ShieldAttack> Attacks(Sandbox.World.World world, PolicyEvaluation evaluation, string? memberAccountId, DateTime start, DateTime end)
        {
            var arns = new HashSet<string>(evaluation.InScopeResources.Select(r => r.Arn), StringComparer.Ordinal);
            return world.ShieldAttacks
                .Where(a => arns.Contains(a.ResourceArn) && (memberAccountId == null || a.AccountId == memberAccountId))
                .Where(a => a.StartTime <= end && (a.EndTime ?? DateTime.MaxValue) >= start)
                .OrderByDescending(a => a.StartTime)
                .ToList();
        }

        /// <summary>The GetProtectionStatus Data string for these attacks.</summary>
        public static string ToData(IEnumerable<ShieldAttack> attacks)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("AttackSummaries");
                foreach (var attack in attacks)
                {
                    writer.WriteStartObject();
                    writer.WriteString("AttackId", attack.AttackId);
                    writer.WriteString("AccountId", attack.AccountId);
                    writer.WriteString("ResourceArn", attack.ResourceArn);
                    writer.WriteNumber("StartTime", EpochSeconds(attack.StartTime));
                    if (attack.EndTime.HasValue) writer.WriteNumber("EndTime", EpochSeconds(attack.EndTime.Value));
                    else writer.WriteNull("EndTime");
                    writer.WriteStartArray("AttackVectors");
                    foreach (var vector in attack.AttackVectors)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("VectorType", vector);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private static long EpochSeconds(DateTime utc) => (long)(utc - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
    }
}
