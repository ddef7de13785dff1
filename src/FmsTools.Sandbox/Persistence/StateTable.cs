using System;
using System.Collections.Generic;
using System.Text.Json;
using FmsTools.Sandbox.Protocol;

namespace FmsTools.Sandbox.Persistence
{
    /// <summary>One change to persist: a put (Value set) or a delete (Value null) of a key in a table.</summary>
    internal sealed class StateChange
    {
        public StateChange(string table, string key, object? value)
        {
            Table = table;
            Key = key;
            Value = value;
        }

        public string Table { get; }
        public string Key { get; }
        public object? Value { get; }
    }

    /// <summary>Collects the changes of one request so they reach the journal as one atomic record.</summary>
    internal sealed class ChangeTracker
    {
        private readonly List<StateChange> _pending = new List<StateChange>();

        public void Record(StateChange change) => _pending.Add(change);

        public bool HasPending => _pending.Count > 0;

        public List<StateChange> Drain()
        {
            var drained = new List<StateChange>(_pending);
            _pending.Clear();
            return drained;
        }

        public void Discard() => _pending.Clear();
    }

    /// <summary>A named, persisted dictionary of records. Values are replaced, never mutated in place.</summary>
    internal abstract class StateTable
    {
        protected StateTable(string name) { Name = name; }

        public string Name { get; }

        public abstract void ApplyPut(string key, JsonElement value);
        public abstract void ApplyDelete(string key);
        public abstract void WriteTo(Utf8JsonWriter writer);
        public abstract void Reset();
    }

    internal sealed class StateTable<T> : StateTable where T : class
    {
        private readonly ChangeTracker _tracker;
        private readonly Dictionary<string, T> _items = new Dictionary<string, T>(StringComparer.Ordinal);

        public StateTable(string name, ChangeTracker tracker) : base(name) { _tracker = tracker; }

        public int Count => _items.Count;

        public IEnumerable<T> Values => _items.Values;

        public IEnumerable<KeyValuePair<string, T>> Items => _items;

        public bool TryGet(string key, out T value)
        {
            if (_items.TryGetValue(key, out var found))
            {
                value = found;
                return true;
            }
            value = null!;
            return false;
        }

        public T? Find(string key) => _items.TryGetValue(key, out var found) ? found : null;

        public void Put(string key, T value)
        {
            _items[key] = value;
            _tracker.Record(new StateChange(Name, key, value));
        }

        public bool Remove(string key)
        {
            if (!_items.Remove(key)) return false;
            _tracker.Record(new StateChange(Name, key, null));
            return true;
        }

        public override void ApplyPut(string key, JsonElement value) => _items[key] = value.Deserialize<T>(SandboxJson.Wire)!;

        public override void ApplyDelete(string key) => _items.Remove(key);

        public override void Reset() => _items.Clear();

        public override void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            foreach (var item in _items)
            {
                writer.WritePropertyName(item.Key);
                JsonSerializer.Serialize(writer, item.Value, SandboxJson.Wire);
            }
            writer.WriteEndObject();
        }
    }
}
