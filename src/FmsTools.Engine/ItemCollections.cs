using System.Collections.ObjectModel;

namespace FmsTools.Engine
{
    /// <summary>
    /// The collections output types hand to PowerShell. They stay lists and dictionaries (enumerable in the shell, arrays
    /// and objects in ConvertTo-Json), and their text form is their items, which is what Export-Csv, string expansion and
    /// ConvertTo-Json past its depth show instead of "System.Collections.Generic.List`1[...]".
    /// </summary>
    public static class ItemText
    {
        /// <summary>"a, b, c": each item's own text.</summary>
        public static string Join<T>(IEnumerable<T> items) => string.Join(", ", items.Select(Text));

        /// <summary>"key=value; key=value".</summary>
        public static string Join<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>> pairs)
            => string.Join("; ", pairs.Select(p => Text(p.Key) + "=" + Text(p.Value)));

        private static string Text<T>(T item) => item switch
        {
            null => "",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => item.ToString() ?? "",
        };
    }

    /// <summary>A list whose text is its items (see <see cref="ItemText"/>).</summary>
    public sealed class ItemList<T> : List<T>
    {
        public ItemList() { }

        public ItemList(IEnumerable<T> items) : base(items) { }

        public override string ToString() => ItemText.Join(this);
    }

    /// <summary>A read-only list whose text is its items (see <see cref="ItemText"/>).</summary>
    public sealed class ReadOnlyItemList<T> : ReadOnlyCollection<T>
    {
        public static readonly ReadOnlyItemList<T> Empty = new ReadOnlyItemList<T>(new T[0]);

        public ReadOnlyItemList(IList<T> items) : base(items) { }

        public override string ToString() => ItemText.Join(this);
    }

    /// <summary>A dictionary whose text is its pairs (see <see cref="ItemText"/>).</summary>
    public sealed class ItemDictionary<TKey, TValue> : Dictionary<TKey, TValue> where TKey : notnull
    {
        public ItemDictionary() { }

        public ItemDictionary(IEqualityComparer<TKey>? comparer) : base(comparer) { }

        public ItemDictionary(IEnumerable<KeyValuePair<TKey, TValue>> pairs, IEqualityComparer<TKey>? comparer = null) : base(comparer)
        {
            foreach (var pair in pairs) this[pair.Key] = pair.Value;
        }

        public override string ToString() => ItemText.Join(this);
    }

    /// <summary>A sorted dictionary whose text is its pairs (see <see cref="ItemText"/>).</summary>
    public sealed class SortedItemDictionary<TKey, TValue> : SortedDictionary<TKey, TValue> where TKey : notnull
    {
        public SortedItemDictionary(IComparer<TKey>? comparer) : base(comparer) { }

        public override string ToString() => ItemText.Join(this);
    }

    /// <summary>A read-only dictionary whose text is its pairs (see <see cref="ItemText"/>).</summary>
    public sealed class ReadOnlyItemDictionary<TKey, TValue> : ReadOnlyDictionary<TKey, TValue> where TKey : notnull
    {
        public ReadOnlyItemDictionary(IDictionary<TKey, TValue> pairs) : base(pairs) { }

        public override string ToString() => ItemText.Join(this);
    }

    /// <summary>Conversions that keep an output type's collections readable whatever a caller assigns.</summary>
    public static class Items
    {
        /// <summary>The list itself when it already reads as its items, else a copy that does.</summary>
        public static ItemList<T> List<T>(IEnumerable<T>? items)
            => items as ItemList<T> ?? (items == null ? new ItemList<T>() : new ItemList<T>(items));

        /// <summary>A read-only view that reads as its items: over the list itself (no copy) when it is one.</summary>
        public static ReadOnlyItemList<T> ReadOnly<T>(IEnumerable<T>? items) => items switch
        {
            ReadOnlyItemList<T> readable => readable,
            null => ReadOnlyItemList<T>.Empty,
            ICollection<T> { Count: 0 } => ReadOnlyItemList<T>.Empty,
            IList<T> list => new ReadOnlyItemList<T>(list),
            _ => new ReadOnlyItemList<T>(items.ToList()),
        };

        public static ItemDictionary<TKey, TValue> Dictionary<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>>? pairs) where TKey : notnull
            => pairs as ItemDictionary<TKey, TValue>
               ?? (pairs == null ? new ItemDictionary<TKey, TValue>() : new ItemDictionary<TKey, TValue>(pairs, (pairs as Dictionary<TKey, TValue>)?.Comparer));

        /// <summary>A read-only view that reads as its pairs: over the dictionary itself (no copy) when it is one.</summary>
        public static ReadOnlyItemDictionary<TKey, TValue> ReadOnlyDictionary<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>>? pairs) where TKey : notnull
            => pairs switch
            {
                ReadOnlyItemDictionary<TKey, TValue> readable => readable,
                null => EmptyDictionary<TKey, TValue>.Instance,
                ICollection<KeyValuePair<TKey, TValue>> { Count: 0 } => EmptyDictionary<TKey, TValue>.Instance,
                IDictionary<TKey, TValue> dictionary => new ReadOnlyItemDictionary<TKey, TValue>(dictionary),
                _ => new ReadOnlyItemDictionary<TKey, TValue>(CopyOf(pairs)),
            };

        private static Dictionary<TKey, TValue> CopyOf<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>> pairs) where TKey : notnull
        {
            var copy = new Dictionary<TKey, TValue>();
            foreach (var pair in pairs) copy[pair.Key] = pair.Value;
            return copy;
        }

        private static class EmptyDictionary<TKey, TValue> where TKey : notnull
        {
            public static readonly ReadOnlyItemDictionary<TKey, TValue> Instance = new ReadOnlyItemDictionary<TKey, TValue>(new Dictionary<TKey, TValue>());
        }
    }
}

namespace FmsTools.Engine
{
    /// <summary>Enum values as output types show them: by name, in a string property (ConvertTo-Json writes .NET enums as numbers).</summary>
    public static class EnumName
    {
        /// <summary>The value named <paramref name="name"/> (any case); a clear error naming the property and the names it takes otherwise.</summary>
        public static T Parse<T>(string? name, string property) where T : struct, Enum
        {
            if (name != null && Enum.TryParse<T>(name.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(typeof(T), value)) return value;
            throw new ArgumentException($"{property}: '{name}' is not one of {string.Join(", ", Enum.GetNames(typeof(T)))}.", property);
        }
    }
}
