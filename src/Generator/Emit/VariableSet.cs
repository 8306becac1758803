using System.Collections.Generic;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// A set of variable ids as a bit per variable: what the save planner's liveness flow carries. The flow copies its
    /// state at every branch and every fixpoint round of a loop; copying a few words instead of a hash set took the
    /// planner off the list of the generator's allocators. Ids outside the program's variables (none are expected) go
    /// to a hash set, so the set means what a <see cref="HashSet{T}"/> of the same ids would.
    /// </summary>
    internal sealed class VariableSet
    {
        private readonly ulong[] _words;
        private HashSet<int>? _others;

        public VariableSet(int variableCount) => _words = new ulong[(variableCount + 63) >> 6];

        public VariableSet(VariableSet copy)
        {
            _words = new ulong[copy._words.Length];
            System.Array.Copy(copy._words, _words, _words.Length); // Clone() costs several times more on arrays this small
            _others = copy._others is null ? null : new HashSet<int>(copy._others);
        }

        private int Capacity => _words.Length << 6;

        public void Add(int id)
        {
            if ((uint)id < (uint)Capacity)
            {
                _words[id >> 6] |= 1UL << (id & 63);
            }
            else
            {
                (_others ??= new HashSet<int>()).Add(id);
            }
        }

        public void Remove(int id)
        {
            if ((uint)id < (uint)Capacity)
            {
                _words[id >> 6] &= ~(1UL << (id & 63));
            }
            else
            {
                _others?.Remove(id);
            }
        }

        public bool Contains(int id) => (uint)id < (uint)Capacity
            ? (_words[id >> 6] & (1UL << (id & 63))) != 0
            : _others is not null && _others.Contains(id);

        /// <summary>Adds every id of <paramref name="other"/>; true when that added one this set did not have.</summary>
        public bool UnionWith(VariableSet other)
        {
            ulong added = 0;
            for (int i = 0; i < _words.Length; i++)
            {
                added |= other._words[i] & ~_words[i];
                _words[i] |= other._words[i];
            }

            bool grew = added != 0;
            if (other._others is not null)
            {
                _others ??= new HashSet<int>();
                foreach (int id in other._others)
                {
                    grew |= _others.Add(id);
                }
            }

            return grew;
        }
    }
}
