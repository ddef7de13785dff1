using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Protocol;

namespace FmsTools.Sandbox.Persistence
{
    /// <summary>A journal value that is already JSON (the World, serialized with its own options).</summary>
    internal sealed class RawJsonValue
    {
        public RawJsonValue(string json) { Json = json; }
        public string Json { get; }
    }

    /// <summary>
    /// All sandbox state: the FMS objects and the simulated World, guarded by one lock. Handlers change
    /// tables under <see cref="Sync"/> and call <see cref="Commit"/> before answering, which writes the
    /// request's changes (and the World when its version moved) to the journal as one atomic record.
    /// </summary>
    internal sealed class SandboxStore : IDisposable
    {
        internal const string WorldTable = "$world";
        private readonly ChangeTracker _tracker = new ChangeTracker();
        private readonly List<StateTable> _tables = new List<StateTable>();
        private readonly StateFiles? _files;
        private readonly long _compactionThresholdBytes;
        private long _persistedWorldVersion;
        private long _journalSequence;

        public SandboxStore(string? path, long compactionThresholdBytes = 8 * 1024 * 1024)
        {
            Policies = Add(new StateTable<PolicyRecord>("policies", _tracker));
            AppsLists = Add(new StateTable<AppsListRecord>("appsLists", _tracker));
            ProtocolsLists = Add(new StateTable<ProtocolsListRecord>("protocolsLists", _tracker));
            ResourceSets = Add(new StateTable<ResourceSetRecord>("resourceSets", _tracker));
            Admins = Add(new StateTable<AdminRecord>("admins", _tracker));
            NotificationChannels = Add(new StateTable<NotificationChannelRecord>("notificationChannels", _tracker));
            Tags = Add(new StateTable<TagsRecord>("tags", _tracker));
            Sessions = Add(new StateTable<SessionRecord>("sessions", _tracker));
            Counters = Add(new StateTable<CounterRecord>("counters", _tracker));
            Host = Add(new StateTable<HostRecord>("host", _tracker));
            _compactionThresholdBytes = compactionThresholdBytes;
            if (path != null) _files = new StateFiles(path);
        }

        public object Sync { get; } = new object();

        public StateTable<PolicyRecord> Policies { get; }
        public StateTable<AppsListRecord> AppsLists { get; }
        public StateTable<ProtocolsListRecord> ProtocolsLists { get; }
        public StateTable<ResourceSetRecord> ResourceSets { get; }
        public StateTable<AdminRecord> Admins { get; }

        /// <summary>Keyed by "admin|region".</summary>
        public StateTable<NotificationChannelRecord> NotificationChannels { get; }

        /// <summary>Keyed by resource ARN.</summary>
        public StateTable<TagsRecord> Tags { get; }
        public StateTable<SessionRecord> Sessions { get; }
        public StateTable<CounterRecord> Counters { get; }

        /// <summary>One record, key "host".</summary>
        public StateTable<HostRecord> Host { get; }

        public World.World World { get; private set; } = new World.World();

        public bool IsPersistent => _files != null;

        /// <summary>Path of the snapshot file, or null in memory mode.</summary>
        public string? Path => _files?.SnapshotPath;

        /// <summary>Bytes of journal written since the last compaction (0 in memory mode).</summary>
        public long JournalBytes => _files?.JournalBytes ?? 0;

        private StateTable<T> Add<T>(StateTable<T> table) where T : class
        {
            _tables.Add(table);
            return table;
        }

        /// <summary>
        /// Loads persisted state. Returns false when there was none (a new file or memory mode): the caller
        /// then seeds the World and FMS objects and calls <see cref="Commit"/>.
        /// </summary>
        public bool Open()
        {
            if (_files is null) return false;
            var loaded = _files.Load();
            var found = false;
            lock (Sync)
            {
                if (loaded.Snapshot != null)
                {
                    found = true;
                    using (loaded.Snapshot)
                    {
                        foreach (var table in loaded.Snapshot.RootElement.GetProperty("tables").EnumerateObject())
                        {
                            if (table.Name == WorldTable) World = FmsTools.Sandbox.World.World.FromJson(table.Value.GetRawText());
                            else
                                foreach (var item in table.Value.EnumerateObject()) FindTable(table.Name)?.ApplyPut(item.Name, item.Value);
                        }
                    }
                }
                foreach (var batch in loaded.Batches)
                {
                    using (batch)
                    {
                        found = true;
                        _journalSequence = Math.Max(_journalSequence, batch.RootElement.GetProperty("seq").GetInt64());
                        foreach (var change in batch.RootElement.GetProperty("changes").EnumerateArray())
                        {
                            var tableName = change.GetProperty("t").GetString()!;
                            var key = change.GetProperty("k").GetString()!;
                            if (tableName == WorldTable)
                            {
                                World = FmsTools.Sandbox.World.World.FromJson(change.GetProperty("v").GetRawText());
                                continue;
                            }
                            var table = FindTable(tableName);
                            if (table is null) continue;
                            if (change.TryGetProperty("d", out _)) table.ApplyDelete(key);
                            else table.ApplyPut(key, change.GetProperty("v"));
                        }
                    }
                }
                _persistedWorldVersion = World.Version;
            }
            return found;
        }

        /// <summary>Replaces the World (seeding or reset); persisted on the next Commit.</summary>
        public void ReplaceWorld(World.World world)
        {
            World = world;
            _persistedWorldVersion = -1;
        }

        /// <summary>Clears every table and the World (admin reset); the caller reseeds and commits.</summary>
        public void ResetAll()
        {
            foreach (var table in _tables) table.Reset();
            _tracker.Discard();
            World = new World.World();
            _persistedWorldVersion = -1;
            if (_files != null) _files.Compact(WriteTables);
        }

        /// <summary>Drops the changes of a request that failed, so a half-done change is never persisted.</summary>
        public void DiscardPending() => _tracker.Discard();

        /// <summary>
        /// Makes the current request's changes durable (journal append + fsync) before it is answered;
        /// compacts into a new snapshot once the journal has grown past the threshold. Call under Sync.
        /// </summary>
        public void Commit()
        {
            var worldChanged = World.Version != _persistedWorldVersion;
            if (!_tracker.HasPending && !worldChanged) return;
            var changes = _tracker.Drain();
            if (_files is null)
            {
                _persistedWorldVersion = World.Version;
                return;
            }
            if (worldChanged) changes.Add(new StateChange(WorldTable, "", new RawJsonValue(World.ToJson())));
            _files.Append(++_journalSequence, changes);
            _persistedWorldVersion = World.Version;
            if (_files.JournalBytes > _compactionThresholdBytes) _files.Compact(WriteTables);
        }

        /// <summary>Writes a fresh snapshot now (clean shutdown, tests). Call under Sync.</summary>
        public void Compact()
        {
            Commit();
            _files?.Compact(WriteTables);
        }

        private void WriteTables(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            foreach (var table in _tables)
            {
                writer.WritePropertyName(table.Name);
                table.WriteTo(writer);
            }
            writer.WritePropertyName(WorldTable);
            writer.WriteRawValue(World.ToJson(), skipInputValidation: true);
            writer.WriteEndObject();
        }

        private StateTable? FindTable(string name)
        {
            foreach (var table in _tables)
                if (table.Name == name) return table;
            return null;
        }

        /// <summary>The next value of a persisted counter (creation order of policies, lists...).</summary>
        public long NextSequence(string counter)
        {
            var current = Counters.Find(counter)?.Value ?? 0;
            Counters.Put(counter, new CounterRecord { Value = current + 1 });
            return current + 1;
        }

        public void Dispose()
        {
            lock (Sync)
            {
                try
                {
                    if (_files != null) Compact();
                }
                catch (IOException)
                {
                    // The journal already holds every committed change; a failed final snapshot loses nothing.
                }
                _files?.Dispose();
            }
        }
    }
}
