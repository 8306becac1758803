using System;
using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace DiffGen.Generated
{
    /// <summary>
    /// A typed last-in-first-out buffer that generated reverse sweeps use for the few values a loop overwrites and
    /// the reverse sweep still needs (and for branch decisions and trip counts inside loops). It starts in stack
    /// memory the caller provides and grows into arrays rented from <see cref="ArrayPool{T}.Shared"/>, so a gradient
    /// call allocates nothing on the managed heap in steady state. This is not a tape of operations: the generator
    /// decides at compile time exactly which values are pushed, and most gradients push none.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ref struct ValueStack<T>
        where T : unmanaged
    {
        private Span<T> _items;
        private T[]? _rented;
        private int _count;

        /// <summary>Starts with <paramref name="initial"/> (usually <c>stackalloc</c>) as its storage.</summary>
        public ValueStack(Span<T> initial)
        {
            _items = initial;
            _rented = null;
            _count = 0;
        }

        /// <summary>The number of values on the stack.</summary>
        public readonly int Count => _count;

        /// <summary>Pushes a value.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(T value)
        {
            if (_count == _items.Length)
            {
                Grow(_count + 1);
            }

            _items[_count++] = value;
        }

        /// <summary>Pops the value pushed last.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Pop() => _items[--_count];

        /// <summary>
        /// Takes room for <paramref name="count"/> values at once and returns it, to be filled in the order the values
        /// would have been pushed (none when <paramref name="count"/> is not positive). The span stays valid until the
        /// stack grows, so nothing may be pushed while it is being filled.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Span<T> Reserve(int count)
        {
            if (count <= 0)
            {
                return default;
            }

            if (count > _items.Length - _count)
            {
                Grow(_count + count);
            }

            var room = _items.Slice(_count, count);
            _count += count;
            return room;
        }

        /// <summary>Makes room for <paramref name="additional"/> more values, so a loop whose trip count is known pushes without growing.</summary>
        public void EnsureCapacity(int additional)
        {
            if (additional > 0 && _count + additional > _items.Length)
            {
                Grow(_count + additional);
            }
        }

        /// <summary>Returns rented storage to the pool.</summary>
        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<T>.Shared.Return(_rented);
                _rented = null;
            }

            _items = default;
            _count = 0;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Grow(int needed)
        {
            int size = Math.Max(needed, Math.Max(_items.Length * 2, 64));
            var next = ArrayPool<T>.Shared.Rent(size);
            _items.Slice(0, _count).CopyTo(next);
            if (_rented is not null)
            {
                ArrayPool<T>.Shared.Return(_rented);
            }

            _rented = next;
            _items = next;
        }
    }
}
