namespace Rafiki.Storage;

/// <summary>
/// A thread-safe least-recently-used cache bounded by a total weight (bytes, or 1 per entry). Values are created
/// outside the lock, so two callers may build the same value at once; the first one stored wins.
/// </summary>
public sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly long _capacity;
    private readonly Func<TValue, long> _weigh;
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value, long Weight)>> _nodes = new();
    private readonly LinkedList<(TKey Key, TValue Value, long Weight)> _order = new();
    private readonly Lock _lock = new();
    private long _weight;

    /// <param name="capacity">Largest total weight kept.</param>
    /// <param name="weigh">Weight of a value; by default every value weighs 1.</param>
    public LruCache(long capacity, Func<TValue, long>? weigh = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _weigh = weigh ?? (_ => 1);
    }

    /// <summary>Number of cached values.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>Returns the cached value and marks it recently used.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_nodes.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Returns the cached value, or creates, caches and returns it.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (TryGet(key, out var cached))
        {
            return cached;
        }

        var value = create(key);
        Set(key, value);
        return TryGet(key, out cached) ? cached : value;
    }

    /// <summary>Stores a value, evicting the least recently used ones beyond the capacity.</summary>
    public void Set(TKey key, TValue value)
    {
        var weight = _weigh(value);
        lock (_lock)
        {
            RemoveLocked(key);
            if (weight > _capacity)
            {
                return;
            }

            _nodes[key] = _order.AddFirst((key, value, weight));
            _weight += weight;
            while (_weight > _capacity && _order.Last is { } last)
            {
                RemoveLocked(last.Value.Key);
            }
        }
    }

    /// <summary>Drops a value if it is cached.</summary>
    public void Remove(TKey key)
    {
        lock (_lock)
        {
            RemoveLocked(key);
        }
    }

    private void RemoveLocked(TKey key)
    {
        if (_nodes.Remove(key, out var node))
        {
            _order.Remove(node);
            _weight -= node.Value.Weight;
        }
    }
}
