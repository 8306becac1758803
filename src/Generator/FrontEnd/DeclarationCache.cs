using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>
    /// Roslyn re-runs a <c>ForAttributeWithMetadataName</c> transform for every target whenever the compilation
    /// changes, even when the edit was inside another method's body (every keystroke in an IDE). What the front end
    /// reads from a method depends only on that method's own syntax and on the declarations it binds against (the
    /// signatures, constants, attributes and usings of every file, the references and the options), never on another
    /// method's body. So a result is kept per syntax node, together with the declarations it was read under, and
    /// reused while the node is the same object (its file was not edited) and the declarations are equivalent (see
    /// <see cref="Declarations"/>). Any other change reads the method again.
    /// </summary>
    internal sealed class DeclarationCache<T>
    {
        private readonly ConditionalWeakTable<SyntaxNode, Slot> _results = new();

        /// <summary>
        /// The value <paramref name="read"/> computed for <paramref name="node"/> under declarations equivalent to
        /// <paramref name="compilation"/>'s, or a fresh one. <paramref name="read"/> must depend on nothing but the
        /// node's syntax and the compilation's declarations.
        /// </summary>
        public T Get(SyntaxNode node, Compilation compilation, Func<T> read, CancellationToken cancellationToken)
        {
            var current = Declarations.Of(compilation);
            var slot = _results.GetOrCreateValue(node);
            if (slot.Entry is { } entry && current.EquivalentTo(entry.Declarations, cancellationToken))
            {
                // Later compilations are compared with this one, which differs from them by fewer files.
                if (!ReferenceEquals(entry.Declarations, current))
                {
                    slot.Entry = new Entry(current, entry.Value);
                }

                return entry.Value;
            }

            var value = read();
            slot.Entry = new Entry(current, value);
            return value;
        }

        private sealed class Entry
        {
            public Entry(Declarations declarations, T value)
            {
                Declarations = declarations;
                Value = value;
            }

            public Declarations Declarations { get; }

            public T Value { get; }
        }

        /// <summary>The last result for one node; an entry is replaced whole, so a reader on another thread sees one or the other.</summary>
        private sealed class Slot
        {
            public volatile Entry? Entry;
        }
    }

    /// <summary>
    /// What a compilation declares (one instance per compilation): its trees, references, options and assembly name.
    /// Two are equivalent when every tree is the same object or equal outside method bodies and non-constant field
    /// initializers (Roslyn's top-level syntax equivalence, the test the IDE uses to decide that no declaration
    /// changed), with the same paths and parse options, and the references, options and name are the same.
    /// </summary>
    internal sealed class Declarations
    {
        private static readonly ConditionalWeakTable<Compilation, Declarations> s_all = new();

        private readonly SyntaxTree[] _trees;
        private readonly MetadataReference[] _references;
        private readonly CompilationOptions _options;
        private readonly string? _assemblyName;

        /// <summary>Comparisons already made, keyed weakly so that a chain of compilations is not kept alive.</summary>
        private readonly ConditionalWeakTable<Declarations, object> _compared = new();

        private Declarations(Compilation compilation)
        {
            _trees = new List<SyntaxTree>(compilation.SyntaxTrees).ToArray();
            _references = new List<MetadataReference>(compilation.References).ToArray();
            _options = compilation.Options;
            _assemblyName = compilation.AssemblyName;
        }

        public static Declarations Of(Compilation compilation) => s_all.GetValue(compilation, static c => new Declarations(c));

        public bool EquivalentTo(Declarations other, CancellationToken cancellationToken)
        {
            if (ReferenceEquals(this, other))
            {
                return true;
            }

            if (_compared.TryGetValue(other, out var known))
            {
                return (bool)known;
            }

            bool equivalent = Compare(other, cancellationToken);
            try
            {
                _compared.Add(other, equivalent);
            }
            catch (ArgumentException)
            {
                // Another thread compared the same pair first, with the same answer.
            }

            return equivalent;
        }

        private bool Compare(Declarations other, CancellationToken cancellationToken)
        {
            if (_trees.Length != other._trees.Length || _references.Length != other._references.Length
                || !string.Equals(_assemblyName, other._assemblyName, StringComparison.Ordinal)
                || !(ReferenceEquals(_options, other._options) || _options.Equals(other._options)))
            {
                return false;
            }

            for (int i = 0; i < _references.Length; i++)
            {
                if (!ReferenceEquals(_references[i], other._references[i]))
                {
                    return false;
                }
            }

            for (int i = 0; i < _trees.Length; i++)
            {
                var a = _trees[i];
                var b = other._trees[i];
                if (ReferenceEquals(a, b))
                {
                    continue;
                }

                if (!string.Equals(a.FilePath, b.FilePath, StringComparison.Ordinal) || !a.Options.Equals(b.Options)
                    || !a.GetRoot(cancellationToken).IsEquivalentTo(b.GetRoot(cancellationToken), topLevel: true))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
