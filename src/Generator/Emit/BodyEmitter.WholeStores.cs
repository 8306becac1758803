using System.Collections.Generic;
using DiffGen.Generator.Ir;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// <c>FGradient</c> stores an input array's adjoint whole from one loop when it can, instead of clearing it and
    /// adding into it (docs/reverse-sweep.md, rule 18). The case is a top-level loop <c>for (int i = 0; i &lt; x.Length;
    /// i++)</c> whose body reads <c>x[i]</c> once, at its own level, and nothing else of <c>x</c>, where the method never
    /// writes <c>x</c> and reads it after the loop only element by element (softmax cross-entropy: <c>… − logits[label]</c>
    /// after the <c>exp</c> loop). The reverse sweep of what follows the loop runs before the loop's and would add into
    /// <c>dX</c> first (<c>dX[label] -= 1.0;</c>); those terms are held back until the loop's reverse sweep is written, when
    /// they only read numbers and parameters the method never assigns (their values cannot change in between), so the
    /// loop is the first to write each element and stores (<c>dX[i] = dT;</c>), and <c>dX.Clear()</c> goes. Adjoints of
    /// input arrays are only ever added into, so moving an addition after the stores changes no value (from zero, the
    /// first addition is exact). Anything else that would reach <c>dX</c> before the loop writes it the usual way, and
    /// then the loop adds as usual.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        /// <summary>The array whose adjoint <c>FGradient</c> may store whole, and the loop that would store it; null once that loop is written.</summary>
        private WholeStore? _wholeStore;

        /// <summary>While the storing loop's body is reversed: its element, <c>dX[i]</c>.</summary>
        private string? _wholeElement;

        /// <summary>Whether the storing loop's body stored its element.</summary>
        private bool _wholeStored;

        /// <summary>Terms for the array's elements from the reverse sweep ahead of the storing loop, written after it.</summary>
        private readonly List<(string Element, Sym Term, ScalarType Type)> _heldBack = new();

        /// <summary>The array, the loop, and the start of the text of its adjoint's elements (<c>dX[</c>).</summary>
        private sealed record WholeStore(int Array, IrStatement Loop, string ElementPrefix);

        /// <summary>Chooses the array and loop for <c>FGradient</c> (the pullback adds into its caller's adjoints, so it never stores).</summary>
        private void PlanWholeStore()
        {
            _wholeStore = null;
            _wholeElement = null;
            _wholeStored = false;
            _heldBack.Clear();
            if (!_gradient || _plan.Fused is not null)
            {
                return; // a fused loop has its own stores (FlushFusedBlockTerms)
            }

            for (int k = 0; k < _program.Body.Count && _wholeStore is null; k++)
            {
                var loop = _program.Body[k];
                if (loop.Kind != StmtKind.For || loop.Constant != 0 || _plan.Variables[loop.Target].Definitions != 0
                    || Print(Fwd(loop.Args[0]), ScalarType.Int, Sym.Precedence.Lowest) != "0")
                {
                    continue;
                }

                string bound = Print(Fwd(loop.Args[1]), ScalarType.Int, Sym.Precedence.Lowest);
                for (int array = 0; array < _program.Variables.Count; array++)
                {
                    if (_program.Variables[array] is { Role: VarRole.Parameter, Shape: Shape.Vector, Active: true, Storage: Storage.Array or Storage.Span or Storage.ReadOnlySpan }
                        && bound == Name(array) + ".Length" && StoresWhole(array, loop, k))
                    {
                        _wholeStore = new WholeStore(array, loop, Adjoint(array) + "[");
                        break;
                    }
                }
            }
        }

        /// <summary>The conditions of <see cref="PlanWholeStore"/> for one array and loop (the k-th top-level statement).</summary>
        private bool StoresWhole(int array, IrStatement loop, int k)
        {
            bool written = false;
            Passes.StatementWalker.Walk(_program.Body, s => written |= s.Kind is StmtKind.Store or StmtKind.StoreAdd && s.Args.Count > 0 && s.Args[0] == array);
            if (written)
            {
                return false;
            }

            // In the loop: one element read, x[i], at the body's own level; nothing else of x (lengths aside).
            int reads = 0;
            Passes.StatementWalker.Walk(loop.Body, s => reads += Contains(s.Args, array) && s.Op != Op.Length ? 1 : 0);
            bool direct = false;
            foreach (var s in loop.Body)
            {
                direct |= s is { Kind: StmtKind.Assign, Op: Op.Load } && s.Args.Count == 2 && s.Args[0] == array && s.Args[1] == loop.Target;
            }

            if (reads != 1 || !direct)
            {
                return false;
            }

            // After it: element reads only (no call gets x, so every term reaches dX through WriteElement).
            bool elementsOnly = true;
            for (int after = k + 1; after < _program.Body.Count; after++)
            {
                Passes.StatementWalker.Walk(new Model.EquatableArray<IrStatement>(new[] { _program.Body[after] }), s =>
                    elementsOnly &= !Contains(s.Args, array) || (s.Kind == StmtKind.Assign && s.Op is Op.Load or Op.Length));
            }

            return elementsOnly;
        }

        /// <summary>
        /// Every adjoint element term goes through here: stored in the storing loop, held back ahead of it when it
        /// reads only what cannot change, added otherwise (which gives up the store: the loop then adds too).
        /// </summary>
        private void WriteElement(SourceWriter w, string element, Sym g, ScalarType type)
        {
            if (_wholeElement is not null && element == _wholeElement)
            {
                w.Line(element + " = " + g.ToCSharp(type) + ";");
                _wholeStored = true;
                return;
            }

            if (_wholeStore is { } whole && _wholeElement is null && element.StartsWith(whole.ElementPrefix, System.StringComparison.Ordinal))
            {
                if (ReadsOnlyFixedValues(element.Substring(whole.ElementPrefix.Length - 1) + " " + g.ToCSharp(type)))
                {
                    _heldBack.Add((element, g, type));
                    return;
                }

                // A term that reads something the loop's reverse sweep may change: write it, and everything held back, now.
                GiveUpWholeStore(w);
            }

            WriteElementTerm(w, element, g, type);
        }

        /// <summary>The storing loop adds like any other: what was held back is written where it would have been.</summary>
        private void GiveUpWholeStore(SourceWriter w)
        {
            _wholeStore = null;
            foreach (var (element, term, type) in _heldBack)
            {
                WriteElementTerm(w, element, term, type);
            }

            _heldBack.Clear();
        }

        /// <summary>
        /// Moves the terms for the array's elements that wait in the current block's sums (written at the end of a
        /// group, which would put them ahead of the loop) to the held-back list; false when one of them cannot wait.
        /// </summary>
        private bool HoldBackBlockTerms()
        {
            if (_blockTerms is null)
            {
                return true;
            }

            string prefix = _wholeStore!.ElementPrefix;
            var waiting = _blockTerms.FindAll(t => t.Element is { } e && e.StartsWith(prefix, System.StringComparison.Ordinal));
            foreach (var t in waiting)
            {
                if (!ReadsOnlyFixedValues(t.Element!.Substring(prefix.Length - 1) + " " + t.Term.ToCSharp(t.Type)))
                {
                    return false;
                }
            }

            foreach (var t in waiting)
            {
                _blockTerms.Remove(t);
                _heldBack.Add((t.Element!, t.Term, t.Type));
            }

            return true;
        }

        /// <summary>Whether code names nothing but parameters the method never assigns (numbers aside).</summary>
        private bool ReadsOnlyFixedValues(string code)
        {
            for (int at = 0; at < code.Length;)
            {
                if (!(char.IsLetter(code[at]) || code[at] == '_' || code[at] == '@'))
                {
                    // Skip a number whole (1E-05 has a letter in it).
                    if (char.IsDigit(code[at]))
                    {
                        while (at < code.Length && (CodeText.IsWordChar(code[at]) || code[at] == '.' || ((code[at] == '-' || code[at] == '+') && (code[at - 1] == 'E' || code[at - 1] == 'e'))))
                        {
                            at++;
                        }
                    }
                    else
                    {
                        at++;
                    }

                    continue;
                }

                int start = at;
                while (at < code.Length && (CodeText.IsWordChar(code[at]) || code[at] == '@'))
                {
                    at++;
                }

                if (!IsFixedParameter(code.Substring(start, at - start)))
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsFixedParameter(string name)
        {
            for (int id = 0; id < _program.Variables.Count; id++)
            {
                if (_program.Variables[id].Role == VarRole.Parameter && _plan.Variables[id].Definitions == 0 && Name(id) == name)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
