using System;
using System.Collections.Generic;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// The reverse sweep. Statements are taken in groups (the temps of one source statement and the write that
    /// ends it) from last to first. For each group: restore what the write overwrote, get back the values the
    /// rules read (recompute or pop), then apply the chain rule to each statement of the group in reverse.
    /// The adjoint of a temp is carried as an expression to its single definition, so the code reads like
    /// <c>dW += dErr * x;</c> rather than a chain of copies.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        private readonly Dictionary<int, Sym> _pending = new();

        private void Reverse(SourceWriter w, EquatableArray<IrStatement> block)
        {
            var groups = new List<List<IrStatement>>();
            var current = new List<IrStatement>();
            foreach (var s in block)
            {
                current.Add(s);
                if (!(s.Kind == StmtKind.Assign && _program.Variables[s.Target].Role == VarRole.Temp))
                {
                    groups.Add(current);
                    current = new List<IrStatement>();
                }
            }

            if (current.Count > 0)
            {
                groups.Add(current);
            }

            bool fusedBody = _fusedBodyNext;
            _fusedBodyNext = false;
            var outer = _blockTerms;
            var outerFlushed = _blockFlushedEarly;
            _blockTerms = new List<(string, int, string?, Sym, ScalarType)>();
            _blockFlushedEarly = false;
            for (int g = groups.Count - 1; g >= 0; g--)
            {
                ReverseGroup(w, groups[g]);
            }

            // Contributions to elements of parameters' adjoints at indices that do not change in this block, summed
            // over its statements: one dX[i] += … per element.
            if (fusedBody && !_blockFlushedEarly)
            {
                FlushFusedBlockTerms(w);
            }
            else
            {
                FlushBlockTerms(w);
            }

            _blockTerms = outer;
            _blockFlushedEarly = outerFlushed;
        }

        /// <summary>The reverse sweep of the fused loop's body, inside the loop (see <see cref="FlushFusedBlockTerms"/>).</summary>
        private void ReverseFusedBody(SourceWriter w, EquatableArray<IrStatement> body)
        {
            _fusedBodyNext = true;
            Reverse(w, body);
            _fusedBodyNext = false;
        }

        /// <summary>After the fused loop: the last iteration's carried contribution goes to the element after it.</summary>
        private void WriteCarries(SourceWriter w, IrStatement loop)
        {
            foreach (var (carry, array, type) in _carries)
            {
                _slots.Add(MethodEmitter.TypeName(type) + " " + carry + " = " + Lit(0, type) + ";");
                string start = Print(Fwd(loop.Args[0]), ScalarType.Int, Sym.Precedence.Relational + 1);
                string bound = Print(Fwd(loop.Args[1]), ScalarType.Int, Sym.Precedence.Relational + 1);
                string last = Adjoint(array) + "[" + Print(Fwd(loop.Args[1]), ScalarType.Int, Sym.Precedence.Lowest) + "]";
                if (_storedWhole.Contains(array))
                {
                    // The loop stored every element before the last one and nothing was cleared: the last one is stored
                    // too, also when the loop did not run (then the carry is still 0).
                    w.Open("if (" + bound + " >= " + start + ")");
                    w.Line(last + " = " + carry + ";");
                }
                else
                {
                    w.Open("if (" + bound + " > " + start + ")");
                    w.Line(last + " += " + carry + ";");
                }

                w.Close();
            }

            _carries.Clear();
        }

        /// <summary>
        /// Adjoint arrays that <c>FGradient</c> does not clear: the fused loop stores each of their elements once, as
        /// its first write (<see cref="OnlyCarriedWrites"/>), from index 0 up to the last, which the carry flush stores.
        /// </summary>
        private readonly HashSet<int> _storedWhole = new();

        /// <summary>The names of the adjoint arrays the method body stores whole, so <c>FGradient</c> need not clear them first.</summary>
        internal IEnumerable<string> AdjointsStoredWhole()
        {
            foreach (int array in _storedWhole)
            {
                yield return Adjoint(array);
            }
        }

        /// <summary>
        /// Whether the fused loop's stores reach every element of <paramref name="array"/>'s adjoint: the loop runs
        /// from 0 to <c>x.Length - 1</c> over the parameter whose adjoint it is (whose length the adjoint's is checked to
        /// equal), so with the carry flush at <c>x.Length - 1</c> every index is stored.
        /// </summary>
        private bool StoresWholeAdjoint(int array, IrStatement loop)
            => Print(Fwd(loop.Args[0]), ScalarType.Int, Sym.Precedence.Lowest) == "0"
                && Print(Fwd(loop.Args[1]), ScalarType.Int, Sym.Precedence.Lowest) == Name(array) + ".Length - 1";

        /// <summary>Set by the fused loop just before its body's reverse sweep: the next block reversed is that body.</summary>
        private bool _fusedBodyNext;

        /// <summary>Whether the current block's element terms were written before its end (a later statement conflicted).</summary>
        private bool _blockFlushedEarly;

        /// <summary>For 1-D parameter adjoint elements summed per block: the adjoint array and the index variable.</summary>
        private readonly Dictionary<string, (int Array, int Index)> _elementIndex = new();

        /// <summary>The carries of the fused loop (see <see cref="FlushFusedBlockTerms"/>): local, adjoint array, type.</summary>
        private readonly List<(string Carry, int Array, ScalarType Type)> _carries = new();

        /// <summary>
        /// The element terms of the fused loop's body, where an ascending counter <c>i</c> has a term at <c>dX[i + 1]</c>
        /// and one at <c>dX[i]</c>: the first is carried to the next iteration in a local instead of written
        /// (<c>dX[i] += dXCarry + …; dXCarry = …;</c>), so each element of <c>dX</c> is updated once per iteration and
        /// the next iteration does not read back what this one just stored; after the loop, the last carry goes to
        /// <c>dX[bound]</c>. Parameter adjoints of input arrays are only ever added into, so the order of the
        /// additions does not matter.
        /// </summary>
        private void FlushFusedBlockTerms(SourceWriter w)
        {
            var loop = _plan.Fused!;
            int counter = loop.Target;
            // The start is re-evaluated after the loop (to know whether it ran): a value that cannot have changed.
            bool ascending = loop.Constant == 0 && _plan.Variables[counter].Definitions == 0 && _plan.IsStable(loop.Args[0]);
            bool IsNext(int index) => IsCounterPlusOne(index, counter);
            var terms = _blockTerms!;
            var done = new HashSet<int>();
            for (int a = 0; a < terms.Count && ascending; a++)
            {
                if (terms[a].Element is not { } next || !_elementIndex.TryGetValue(next, out var at) || !IsNext(at.Index) || done.Contains(a)
                    || _program.Variables[at.Array] is not { Role: VarRole.Parameter, Shape: Shape.Vector, Storage: Storage.Array or Storage.Span or Storage.ReadOnlySpan })
                {
                    continue;
                }

                for (int b = 0; b < terms.Count; b++)
                {
                    if (b != a && !done.Contains(b) && terms[b].Element is { } here && _elementIndex.TryGetValue(here, out var atHere)
                        && atHere.Array == at.Array && atHere.Index == counter && terms[b].Type == terms[a].Type)
                    {
                        string carry = SignatureReader_Unique(Adjoint(at.Array) + "Carry");
                        _carries.Add((carry, at.Array, terms[a].Type));
                        var term = Negatable(terms[b].Term);
                        var value = term is NegOf negated ? Sym.Sub(Sym.V(carry), negated.Operand) : Sym.Add(Sym.V(carry), term);
                        if (_gradient && OnlyCarriedWrites(at.Array, terms))
                        {
                            // Nothing else adds into dX[i] before this: store, not read-modify-write (and when the stores
                            // reach every element, FGradient does not clear dX first).
                            w.Line(here + " = " + value.ToCSharp(terms[b].Type) + ";");
                            if (StoresWholeAdjoint(at.Array, loop))
                            {
                                _storedWhole.Add(at.Array);
                            }
                        }
                        else
                        {
                            WriteElement(w, here, value, terms[b].Type);
                        }

                        w.Line(carry + " = " + terms[a].Term.ToCSharp(terms[a].Type) + ";");
                        done.Add(a);
                        done.Add(b);
                        break;
                    }
                }
            }

            for (int t = 0; t < terms.Count; t++)
            {
                if (!done.Contains(t))
                {
                    WriteElement(w, terms[t].Element!, terms[t].Term, terms[t].Type);
                }
            }

            terms.Clear();
        }

        private List<(string Key, int Variable, string? Element, Sym Term, ScalarType Type)>? _blockTerms;

        /// <summary>
        /// Whether the carried pair of terms is all that reaches <paramref name="array"/>'s adjoint before the statements
        /// ahead of the fused loop run their reverse sweep: the block has no other term for it, every element read of
        /// it in the loop is a statement of the loop's own body (not under a branch or in an inner loop), and nothing
        /// after the loop reads it (their reverse sweep runs first). Lengths do not count: they have no adjoint.
        /// </summary>
        private bool OnlyCarriedWrites(int array, List<(string Key, int Variable, string? Element, Sym Term, ScalarType Type)> terms)
        {
            int own = 0;
            foreach (var term in terms)
            {
                if (term.Element is { } element && _elementIndex.TryGetValue(element, out var at) && at.Array == array)
                {
                    own++;
                }
            }

            var loop = _plan.Fused!;
            int counter = loop.Target;
            bool AtCounterOrNext(int index) => index == counter || IsCounterPlusOne(index, counter);
            bool direct = true;
            foreach (var s in loop.Body)
            {
                direct &= !ReadsElements(s.Body, array) && !ReadsElements(s.Else, array)
                    && (!Contains(s.Args, array) || (s.Kind == StmtKind.Assign && s.Op == Op.Length)
                        || (s.Kind == StmtKind.Assign && s.Op == Op.Load && s.Args.Count == 2 && AtCounterOrNext(s.Args[1])));
            }

            bool after = false;
            for (int k = IndexOf(_program.Body, loop) + 1; k < _program.Body.Count; k++)
            {
                after |= ReadsElements(new EquatableArray<IrStatement>(new[] { _program.Body[k] }), array);
            }

            return own == 2 && direct && !after;
        }

        /// <summary>Whether <paramref name="index"/> is a temp holding <c>counter + 1</c> (or <c>1 + counter</c>).</summary>
        private bool IsCounterPlusOne(int index, int counter)
        {
            bool IsOne(int id) => _plan.Variables[id] is { Definitions: 1, Definition: { Op: Op.Const, Constant: 1 } } && _program.Variables[id].Type == ScalarType.Int;
            return _program.Variables[index].Role == VarRole.Temp && _plan.Variables[index] is { Definitions: 1, Definition: { Op: Op.Add } def }
                && ((def.Args[0] == counter && IsOne(def.Args[1])) || (def.Args[1] == counter && IsOne(def.Args[0])));
        }

        /// <summary>Whether any statement in the block passes <paramref name="array"/> to anything but a length.</summary>
        private static bool ReadsElements(EquatableArray<IrStatement> block, int array)
        {
            bool reads = false;
            Passes.StatementWalker.Walk(block, s => reads |= Contains(s.Args, array) && s.Op != Op.Length);
            return reads;
        }

        private void ReverseGroup(SourceWriter w, List<IrStatement> group)
        {
            bool work = false;
            foreach (var s in group)
            {
                work |= _plan[s].HasReverseWork;
            }

            // A group with nothing to differentiate still pops what the forward sweep pushed at its start for an earlier
            // group (a temp read across groups, as tangent programs have): skipping it would leave the temp undefined
            // there and every later pop one value off.
            if (!work && _plan.PushedBefore(group[0]).Count == 0)
            {
                return;
            }

            _cancellationToken.ThrowIfCancellationRequested();
            var sub = new SourceWriter();
            var terminal = group[group.Count - 1];
            var terminalInfo = _plan[terminal];
            Sym? result = null;

            // 1. Read back the values the write that ends the group stored and nothing has overwritten since (before
            // it is undone); then undo that write.
            if (terminal.Kind == StmtKind.Store)
            {
                foreach (var s in group)
                {
                    if (s.Kind == StmtKind.Assign && _plan.Variables[s.Target] is { Needed: true, Mode: TempMode.Stored } stored && ReferenceEquals(stored.StoredIn, terminal))
                    {
                        var type = _program.Variables[s.Target].Type;
                        sub.Line(MethodEmitter.TypeName(type) + " " + Name(s.Target) + " = " + Element(StoreIndex(terminal), _rev) + ";");
                    }
                }
            }

            if (terminal.Kind == StmtKind.Assign && _program.Variables[terminal.Target].Role != VarRole.Temp && terminalInfo.Save != SaveKind.None)
            {
                var target = _program.Variables[terminal.Target];
                string name = Name(terminal.Target);
                if (target.Active && DerivativeRules.ReadsResult(_plan, terminal))
                {
                    string value = SignatureReader_Unique(name + "Value");
                    sub.Line(MethodEmitter.TypeName(target.Type) + " " + value + " = " + name + ";");
                    result = Sym.V(value);
                }

                sub.Line(name + " = " + Restore(terminalInfo, target.Type) + ";");
            }
            else if (terminal.Kind is StmtKind.Store or StmtKind.StoreAdd && terminalInfo.Save != SaveKind.None)
            {
                sub.Line(Element(StoreIndex(terminal), _rev) + " = " + Restore(terminalInfo, _program.Variables[terminal.Args[0]].Type) + ";");
            }

            // A loop or if that ends the group ran after the group's temps: undo it first, so its pops come
            // before those of the temps pushed ahead of it.
            bool control = terminal.Kind is StmtKind.If or StmtKind.For or StmtKind.Loop;
            var (outerReset, outerCounts) = (_deferredReset, _groupReadCounts);
            var (outerTerms, outerReplaced, outerDeferred) = (_terms, _replaced, _groupDeferred);
            _groupDeferred = new List<(string, int, string?, Sym, ScalarType)>();
            _deferredReset = null;
            _groupReadCounts = ReadsInGroup(group);
            _terms = HasCall(group) ? null : new List<(string, int, string?, Sym, ScalarType)>();
            _replaced = -1;
            if (control)
            {
                ReverseStatement(sub, terminal, null);
            }

            // 2. Pop the expensive values this group saved, last pushed first.
            for (int i = group.Count - 1; i >= 0; i--)
            {
                var s = group[i];
                if (s.Kind == StmtKind.Assign && _program.Variables[s.Target].Role == VarRole.Temp && _plan[s].Save == SaveKind.Stack)
                {
                    var type = _program.Variables[s.Target].Type;
                    sub.Line(MethodEmitter.TypeName(type) + " " + Name(s.Target) + " = " + Stack(type) + ".Pop();");
                }
            }

            // Temps of an earlier group that this group reads, pushed at this group's start.
            var early = _plan.PushedBefore(group[0]);
            for (int i = early.Count - 1; i >= 0; i--)
            {
                // A temp defined at the top level is already declared in the method's scope: assign it, do not redeclare.
                var type = _program.Variables[early[i]].Type;
                bool declared = _plan.Variables[early[i]].Definition is { } definition && (_plan[definition].Depth == 0 || IsHoisted(early[i]));
                sub.Line((declared ? string.Empty : MethodEmitter.TypeName(type) + " ") + Name(early[i]) + " = " + Stack(type) + ".Pop();");
            }

            // 3. Recompute the cheap ones.
            foreach (var s in group)
            {
                if (s.Kind == StmtKind.Assign && _plan.Variables[s.Target] is { Needed: true, Mode: TempMode.Recompute } && !_plan.InlineReverse(s.Target)
                    && _program.Variables[s.Target].Role == VarRole.Temp)
                {
                    var type = _program.Variables[s.Target].Type;
                    sub.Line(MethodEmitter.TypeName(type) + " " + Name(s.Target) + " = " + Print(Expression(s, _rev), type, Sym.Precedence.Lowest) + ";");
                }
            }

            // 4. The chain rule, last statement first. When the group's write killed a variable, its adjoint
            // restarts at zero once the group has passed it on (unless the group itself reads that variable).
            for (int i = group.Count - (control ? 2 : 1); i >= 0; i--)
            {
                ReverseStatement(sub, group[i], ReferenceEquals(group[i], terminal) ? result : null);
            }

            // A temp whose definition lies in an earlier group (tangent programs have these) carries its adjoint
            // across the boundary: fix its value now, before any adjoint it mentions changes.
            foreach (int pending in new List<int>(_pending.Keys))
            {
                if ((_pending[pending] is Atom atom && _fixedLocals.Contains(atom.Name)) || _pending[pending] is Num)
                {
                    continue;
                }

                var type = _program.Variables[pending].Type;
                string name = SignatureReader_Unique("d" + AdjointStem(pending));
                sub.Line(MethodEmitter.TypeName(type) + " " + name + " = " + _pending[pending].ToCSharp(type) + ";");
                _pending[pending] = Sym.V(name);
                _fixedLocals.Add(name);
            }

            FlushTerms(sub);
            if (_deferredReset is not null)
            {
                sub.Line(_deferredReset);
            }

            (_deferredReset, _groupReadCounts) = (outerReset, outerCounts);
            var deferred = _groupDeferred;
            (_terms, _replaced, _groupDeferred) = (outerTerms, outerReplaced, outerDeferred);

            if (!sub.IsEmpty)
            {
                // Summed element contributions of later statements that read a value this group changes are written first.
                if (_blockTerms is { Count: > 0 } && Conflicts(_blockTerms, sub.ToString()))
                {
                    FlushBlockTerms(w);
                    _blockFlushedEarly = true;
                }

                if (terminal.Source >= 0 && terminal.Kind is not (StmtKind.If or StmtKind.For or StmtKind.Loop))
                {
                    w.Line(Comment(terminal.Source));
                }

                w.Append(sub);
            }

            foreach (var (key, variable, element, term, type) in deferred)
            {
                AddTerm(_blockTerms!, key, variable, element, term, type);
            }
        }

        private static readonly System.Text.RegularExpressions.Regex s_identifier = new(@"[A-Za-z_]\w*");

        private static readonly System.Text.RegularExpressions.Regex s_written = new(
            @"^\s*(?:(?:double|float|int|bool|var)\s+)?([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)?(?:=|\+=|-=|\*=|/=)(?!=)|\bref\s+([A-Za-z_]\w*)|\b([A-Za-z_]\w*)(?:\+\+|--)",
            System.Text.RegularExpressions.RegexOptions.Multiline);

        /// <summary>Whether code writes a name that one of the pending terms reads.</summary>
        private static bool Conflicts(List<(string Key, int Variable, string? Element, Sym Term, ScalarType Type)> terms, string code)
        {
            var written = new HashSet<string>();
            foreach (System.Text.RegularExpressions.Match m in s_written.Matches(code))
            {
                for (int g = 1; g <= 3; g++)
                {
                    if (m.Groups[g].Success)
                    {
                        written.Add(m.Groups[g].Value);
                    }
                }
            }

            foreach (var term in terms)
            {
                foreach (System.Text.RegularExpressions.Match m in s_identifier.Matches(term.Term.ToCSharp(term.Type) + " " + term.Element))
                {
                    if (written.Contains(m.Value))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private void FlushBlockTerms(SourceWriter w)
        {
            foreach (var (_, _, element, term, type) in _blockTerms!)
            {
                WriteElement(w, element!, term, type);
            }

            _blockTerms.Clear();
        }

        /// <summary>
        /// The contributions of the current group to adjoints, summed per adjoint and written when the group ends, so
        /// each adjoint gets one statement per group (<c>dT += 200.0 * dSum * t</c>, not two). Null in a group with a
        /// call (its pullback adds into our adjoints by reference).
        /// </summary>
        private List<(string Key, int Variable, string? Element, Sym Term, ScalarType Type)>? _terms;

        /// <summary>The variable whose adjoint the group replaces (x = f(x)): assigned after every other contribution.</summary>
        private int _replaced = -1;

        private static bool HasCall(List<IrStatement> group)
        {
            foreach (var s in group)
            {
                if (s.Kind == StmtKind.Assign && s.Op == Op.Call)
                {
                    return true;
                }
            }

            return false;
        }

        private static void AddTerm(List<(string Key, int Variable, string? Element, Sym Term, ScalarType Type)> terms, string key, int variable, string? element, Sym term, ScalarType type)
        {
            for (int i = 0; i < terms.Count; i++)
            {
                if (terms[i].Key == key)
                {
                    terms[i] = (key, variable, element, Sym.Accumulate(terms[i].Term, term), type);
                    return;
                }
            }

            terms.Add((key, variable, element, term, type));
        }

        private void FlushTerms(SourceWriter w)
        {
            if (_terms is null)
            {
                return;
            }

            var terms = _terms;
            _terms = null;
            Sym? replacement = null;
            foreach (var (_, variable, _, term, _) in terms)
            {
                if (variable == _replaced && variable >= 0)
                {
                    replacement = term;
                }
            }

            string? replace = null;
            if (_replaced >= 0)
            {
                var v = _program.Variables[_replaced];
                string adjoint = AdjointOf(_replaced);
                replace = replacement switch
                {
                    Atom same when same.Name == adjoint => null,
                    Binary { Op: '*', Left: Atom self } product when self.Name == adjoint => adjoint + " *= " + product.Right.ToCSharp(v.Type) + ";",
                    Binary { Op: '+' or '-', Left: Atom self } sum when self.Name == adjoint && !Mentions(sum.Right, adjoint)
                        => adjoint + (sum.Op == '+' ? " += " : " -= ") + sum.Right.ToCSharp(v.Type) + ";",
                    _ => adjoint + " = " + (replacement ?? Sym.Zero).ToCSharp(v.Type) + ";",
                };
            }

            // What the group still writes after these terms: elements whose terms do not read it wait for the block's end.
            string later = (replace ?? string.Empty) + "\n" + (_deferredReset ?? string.Empty);
            foreach (var entry in terms)
            {
                var (key, variable, element, term, type) = entry;
                if (element is not null && key[0] == 'i' && _blockTerms is not null
                    && !Conflicts(new List<(string, int, string?, Sym, ScalarType)> { entry }, later))
                {
                    _groupDeferred.Add(entry);
                }
                else if (element is not null)
                {
                    WriteElement(w, element, term, type);
                }
                else if (variable != _replaced)
                {
                    WriteTerm(w, variable, term);
                }
            }

            if (replace is not null)
            {
                w.Line(replace);
            }

            _terms = new List<(string, int, string?, Sym, ScalarType)>();
            _replaced = -1;
        }

        private static bool Mentions(Sym sym, string name)
        {
            foreach (System.Text.RegularExpressions.Match m in s_identifier.Matches(sym.ToCSharp(ScalarType.Double)))
            {
                if (m.Value == name)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Element terms of the current group that wait for the end of its block.</summary>
        private List<(string Key, int Variable, string? Element, Sym Term, ScalarType Type)> _groupDeferred = new();

        private readonly HashSet<string> _fixedLocals = new();
        private readonly HashSet<int> _fusedDeclared = new();

        /// <summary>The counted loops whose reverse bodies are being written, innermost last.</summary>
        private readonly List<LoopScope> _loopScopes = new();

        /// <summary>A loop's reverse body: its iteration locals (<see cref="ReversePlan.IterationLocals"/>), whose adjoints it declares.</summary>
        private sealed class LoopScope
        {
            public LoopScope(IrStatement loop, HashSet<int> locals, int bodyDepth)
            {
                Loop = loop;
                Locals = locals;
                BodyDepth = bodyDepth;
            }

            public IrStatement Loop { get; }

            public HashSet<int> Locals { get; }

            /// <summary>The reverse-sweep depth of the loop's body.</summary>
            public int BodyDepth { get; }

            public HashSet<int> Declared { get; } = new();

            /// <summary>Adjoints first reached in a nested block, declared as zero at the top of the body.</summary>
            public SourceWriter Declarations { get; } = new();
        }

        private LoopScope? LocalScope(int id)
        {
            for (int k = _loopScopes.Count - 1; k >= 0; k--)
            {
                if (_loopScopes[k].Locals.Contains(id))
                {
                    return _loopScopes[k];
                }
            }

            return null;
        }
        private bool _inFused;
        private int _reverseDepth;
        private string? _deferredReset;
        /// <summary>How many times each variable is read by the statements of the group being reversed (its keys: what the group reads).</summary>
        private Dictionary<int, int> _groupReadCounts = new();

        private static Dictionary<int, int> ReadsInGroup(List<IrStatement> group)
        {
            var counts = new Dictionary<int, int>();
            foreach (var s in group)
            {
                foreach (int a in s.Args)
                {
                    counts[a] = counts.TryGetValue(a, out int c) ? c + 1 : 1;
                }
            }

            return counts;
        }

        private string Restore(StatementInfo info, ScalarType type)
            => info.Save == SaveKind.Stack ? Stack(type) + ".Pop()" : info.Slot!;

        private void ReverseStatement(SourceWriter w, IrStatement s, Sym? resultOverride)
        {
            switch (s.Kind)
            {
                case StmtKind.Assign:
                    ReverseAssign(w, s, resultOverride);
                    break;
                case StmtKind.Store:
                case StmtKind.StoreAdd:
                    ReverseStore(w, s);
                    break;
                case StmtKind.If:
                    ReverseIf(w, s);
                    break;
                case StmtKind.For:
                    ReverseFor(w, s);
                    break;
                case StmtKind.Loop:
                    ReverseLoop(w, s);
                    break;
            }
        }

        private void ReverseAssign(SourceWriter w, IrStatement s, Sym? resultOverride)
        {
            var target = _program.Variables[s.Target];
            if (!target.Active || _extremumAt.ContainsKey(s))
            {
                return; // a running extremum's reverse sweep runs once, before its loop's (ReverseRunningExtremum)
            }

            var targetInfo = _plan.Variables[s.Target];
            int self = -1;
            Sym g;
            if (target.Role == VarRole.Temp)
            {
                if (!_pending.TryGetValue(s.Target, out var pending))
                {
                    return;
                }

                _pending.Remove(s.Target);
                g = pending;
            }
            else if (_gradient && s.Target == _program.Result)
            {
                g = Sym.One; // the seed of FGradient
            }
            else if (target.Role == VarRole.Result || s.Target == _program.Result
                || (targetInfo.Definitions == 1 && _plan[s].LoopDepth == 0 && (!_inFused || _fusedDeclared.Contains(s.Target)))
                || (_inFused && _reverseDepth == 1 && _fusedDeclared.Contains(s.Target) && _plan.IsFirstFusedDefinition(s))
                || (LocalScope(s.Target) is { } scope && scope.BodyDepth == _reverseDepth && _plan.IsFirstDefinitionIn(scope.Loop, s))
                || (ReferenceEquals(targetInfo.Definition, s) && _plan[s].Depth == 0))
            {
                // Defined once, or this is the first definition: nothing before it reads the adjoint, so no reset.
                g = Sym.V(AdjointOf(s.Target));
            }
            else if (((s.Op == Op.Add && (s.Args[0] == s.Target) != (s.Args[1] == s.Target)) || (s.Op == Op.Sub && s.Args[0] == s.Target && s.Args[1] != s.Target))
                && _groupReadCounts.TryGetValue(s.Target, out int reads) && reads == 1)
            {
                // x = x + t: the adjoint of x carries over unchanged; only t receives it.
                self = s.Args[0] == s.Target ? 0 : 1;
                g = Sym.V(AdjointOf(s.Target));
            }
            else if (s.Op == Op.Copy && s.Args[0] == s.Target)
            {
                return;
            }
            else if (((s.Op == Op.Mul && (s.Args[0] == s.Target) != (s.Args[1] == s.Target)) || (s.Op == Op.Div && s.Args[0] == s.Target && s.Args[1] != s.Target))
                && _groupReadCounts.TryGetValue(s.Target, out int selfReads) && selfReads == 1)
            {
                // x = x · t: the other operands get the adjoint first, then the adjoint of x is scaled (dX *= t).
                self = s.Args[0] == s.Target ? 0 : 1;
                string adjoint = AdjointOf(s.Target);
                g = Sym.V(adjoint);
                var factor = s.Op == Op.Mul ? Rev(s.Args[1 - self]) : Rev(s.Args[1]);
                _deferredReset = adjoint + (s.Op == Op.Mul ? " *= " : " /= ") + factor.ToCSharp(target.Type) + ";";
            }
            else if (!_groupReadCounts.ContainsKey(s.Target))
            {
                // The old value of x is dead after x = f(...): propagate its adjoint, then restart it at zero.
                string adjoint = AdjointOf(s.Target);
                _deferredReset = adjoint + " = " + Lit(0, target.Type) + ";";
                g = Sym.V(adjoint);
            }
            else if (_terms is not null && _replaced < 0)
            {
                // x = f(x): the old x gets its share from the adjoint, which is then replaced by that share (dX *= x).
                _replaced = s.Target;
                g = Sym.V(AdjointOf(s.Target));
            }
            else
            {
                string adjoint = AdjointOf(s.Target);
                string step = SignatureReader_Unique(adjoint + "Out");
                w.Line(MethodEmitter.TypeName(target.Type) + " " + step + " = " + adjoint + ";");
                w.Line(adjoint + " = " + Lit(0, target.Type) + ";");
                g = Sym.V(step);
            }

            ApplyRule(w, s, g, self, resultOverride);
        }

        private static bool Contains(EquatableArray<int> args, int id)
        {
            foreach (int a in args)
            {
                if (a == id)
                {
                    return true;
                }
            }

            return false;
        }

        private void ApplyRule(SourceWriter w, IrStatement s, Sym g, int self, Sym? resultOverride)
        {
            var target = _program.Variables[s.Target];
            switch (s.Op)
            {
                case Op.Load:
                    if (_program.Variables[s.Args[0]].Active)
                    {
                        AccumulateElement(w, s.Args, g, target.Type);
                    }

                    return;
                case Op.Call:
                    if (!TryReverseEagerCall(w, s, g))
                    {
                        ReverseCall(w, s, g);
                    }

                    return;
                case Op.CallTangent:
                    if (!TryReverseEagerCallTangent(w, s, g))
                    {
                        ReverseCallTangent(w, s, g);
                    }

                    return;
            }

            var result = resultOverride ?? (target.Role == VarRole.Temp ? Rev(s.Target) : Sym.V(Name(s.Target)));
            if (self < 0 && DerivativeRules.UsesQuotient(_plan, s))
            {
                // q = a/b: a gets g/b and b gets −(g/b)·q, one division for both.
                string over = SignatureReader_Unique("d" + AdjointStem(s.Target) + "Over" + Upper(Identifier(Name(s.Args[1]))));
                w.Line(MethodEmitter.TypeName(target.Type) + " " + over + " = " + Sym.Div(g, Rev(s.Args[1])).ToCSharp(target.Type) + ";");
                Accumulate(w, s.Args[0], Sym.V(over), target.Type);
                Accumulate(w, s.Args[1], Sym.Neg(Sym.Mul(Sym.V(over), result)), target.Type);
                return;
            }

            var partials = DerivativeRules.Partials(s, _rev, result, target.Type);
            var distinct = new HashSet<int>();
            for (int i = 0; i < partials.Length; i++)
            {
                if (i != self && partials[i] is { IsZero: false } && _program.Variables[s.Args[i]].Active)
                {
                    distinct.Add(s.Args[i]);
                }
            }

            int uses = distinct.Count;

            if (uses > 1 && g is not (Atom or Num))
            {
                // ½·dV/v shared by squares: the name holds dV/v and each square's 2 cancels the ½ (rule 17). When the
                // rest is a name already (½·dT), nothing new is named.
                var scale = DeferredScale(s, g, partials, self);
                if (scale is not { Remainder: Atom })
                {
                    string name = SignatureReader_Unique("d" + AdjointStem(s.Target));
                    w.Line(MethodEmitter.TypeName(target.Type) + " " + name + " = " + (scale?.Remainder ?? g).ToCSharp(target.Type) + ";");
                    g = scale is { } deferred ? Sym.Mul(Sym.N(deferred.Factor), Sym.V(name)) : Sym.V(name);
                }
            }

            // Contributions to the same operand (x·x) are summed first, so the code says 2·x.
            var seen = new Dictionary<int, Sym>();
            var order = new List<int>();
            for (int i = 0; i < partials.Length; i++)
            {
                if (i == self || partials[i] is not { } partial || partial.IsZero || !_program.Variables[s.Args[i]].Active)
                {
                    continue;
                }

                var term = Sym.Mul(g, partial);
                int arg = s.Args[i];
                if (seen.TryGetValue(arg, out var previous))
                {
                    seen[arg] = Sym.Add(previous, term);
                }
                else
                {
                    seen[arg] = term;
                    order.Add(arg);
                }
            }

            foreach (int arg in order)
            {
                Accumulate(w, arg, seen[arg], target.Type);
            }
        }

        /// <summary>
        /// When a shared adjoint is a power of two times the rest (½·dV/v from a square root) and every operand's
        /// term would fold that factor into a constant of its own (the 2 of a square, a constant partial), the
        /// factor is left out of the named adjoint and travels with it: each use multiplies constants, which the
        /// emitter folds, instead of the adjoint paying a multiplication on the reverse sweep's critical path.
        /// Powers of two scale exactly, so the values are the same bits.
        /// </summary>
        private (double Factor, Sym Remainder)? DeferredScale(IrStatement s, Sym g, Sym?[] partials, int self)
        {
            if (Sym.ConstantFactor(g, out var rest) is not { } factor || rest is null || !IsPowerOfTwo(factor))
            {
                return null;
            }

            for (int i = 0; i < partials.Length; i++)
            {
                if (i != self && partials[i] is { IsZero: false } partial && _program.Variables[s.Args[i]].Active && !Folds(factor, s.Args[i], partial, 0))
                {
                    return null;
                }
            }

            return (factor, rest);
        }

        /// <summary>
        /// Whether factor·g·<paramref name="partial"/>, added to <paramref name="arg"/>'s adjoint, ends with its factor
        /// merged into another constant: the partial has a number of its own, or the operand is a temp square
        /// (whose rule adds a 2), or a temp sum or difference of such operands (x·x + y·y + z·z).
        /// </summary>
        private bool Folds(double factor, int arg, Sym partial, int depth)
        {
            if (Sym.ConstantFactor(Sym.Mul(Sym.N(factor), Sym.Mul(Sym.V("_"), partial)), out _) is { } c && Math.Abs(c) != Math.Abs(factor))
            {
                return true;
            }

            if (depth > 8 || _program.Variables[arg].Role != VarRole.Temp || _plan.Variables[arg] is not { Definitions: 1, Definition: { Kind: StmtKind.Assign } definition })
            {
                return false;
            }

            switch (definition.Op)
            {
                case Op.Mul:
                    return definition.Args.Count == 2 && definition.Args[0] == definition.Args[1];
                case Op.Add:
                case Op.Sub:
                    foreach (int operand in definition.Args)
                    {
                        if (_program.Variables[operand].Active && !Folds(factor, operand, Sym.One, depth + 1))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return false;
            }
        }

        private static bool IsPowerOfTwo(double value)
        {
            double magnitude = Math.Abs(value);
            if (magnitude == 1 || magnitude == 0 || double.IsInfinity(magnitude) || double.IsNaN(magnitude))
            {
                return false;
            }

            int exponent = (int)Math.Round(Math.Log(magnitude, 2));
            return Math.Abs(exponent) < 64 && Math.Pow(2, exponent) == magnitude;
        }

        private void ReverseStore(SourceWriter w, IrStatement s)
        {
            int array = s.Args[0];
            if (!_program.Variables[array].Active)
            {
                return;
            }

            var type = _program.Variables[array].Type;
            int value = s.Args[s.Args.Count - 1];
            string element = Element(StoreIndex(s), _rev, adjoint: true);
            var valueVar = _program.Variables[value];
            if (s.Kind == StmtKind.StoreAdd)
            {
                // a[i] += v: a[i]'s adjoint flows to v unchanged and stays on a[i].
                if (valueVar.Active)
                {
                    var g = Sym.V(element);
                    if (valueVar.Role == VarRole.Temp)
                    {
                        string name = SignatureReader_Unique("d" + AdjointStem(value));
                        w.Line(MethodEmitter.TypeName(type) + " " + name + " = " + element + ";");
                        g = Sym.V(name);
                    }

                    Accumulate(w, value, s.Op == Op.Sub ? Sym.Neg(g) : g, type);
                }

                return;
            }

            // a[i] = v: the element's adjoint moves to v and the element's old value is dead.
            if (valueVar.Active)
            {
                if (valueVar.Role == VarRole.Temp)
                {
                    string name = SignatureReader_Unique("d" + AdjointStem(value));
                    w.Line(MethodEmitter.TypeName(type) + " " + name + " = " + element + ";");
                    Accumulate(w, value, Sym.V(name), type);
                }
                else
                {
                    Accumulate(w, value, Sym.V(element), type, direct: true);
                }
            }

            w.Line(element + " = " + Lit(0, type) + ";");
        }

        /// <summary>Adds <paramref name="term"/> to the adjoint of a variable (or to a temp's pending adjoint).</summary>
        private void Accumulate(SourceWriter w, int arg, Sym term, ScalarType from, bool direct = false)
        {
            var v = _program.Variables[arg];
            if (!v.Active)
            {
                return;
            }

            if (v.Type != from)
            {
                term = Sym.Raw("(" + MethodEmitter.TypeName(v.Type) + ")(" + term.ToCSharp(from) + ")", Sym.Precedence.Unary);
            }

            if (v.Role == VarRole.Temp)
            {
                _pending[arg] = _pending.TryGetValue(arg, out var previous) ? Sym.Accumulate(previous, term) : term;
                return;
            }

            if (_terms is not null && !direct)
            {
                AddTerm(_terms, "v" + arg.ToString(System.Globalization.CultureInfo.InvariantCulture), arg, null, term, v.Type);
                return;
            }

            WriteTerm(w, arg, term);
        }

        private void WriteTerm(SourceWriter w, int arg, Sym term)
        {
            var v = _program.Variables[arg];
            if (LocalScope(arg) is { } local && !local.Declared.Contains(arg) && local.BodyDepth == _reverseDepth)
            {
                // The first contribution in an iteration's reverse sweep to a value the iteration computes afresh.
                local.Declared.Add(arg);
                w.Line(MethodEmitter.TypeName(v.Type) + " " + Adjoint(arg) + " = " + term.ToCSharp(v.Type) + ";");
                return;
            }

            bool topLevel = _reverseDepth == 0 || (_inFused && _reverseDepth == 1 && _plan.IsIterationLocal(arg));
            if (topLevel && !_adjoints.ContainsKey(arg) && arg != _program.Result && v.Role != VarRole.Parameter && v.Shape == Shape.Scalar)
            {
                // The first contribution at the top level of the reverse sweep (or of a fused loop's iteration, for a
                // value computed afresh in each) declares the adjoint.
                w.Line(MethodEmitter.TypeName(v.Type) + " " + Adjoint(arg) + " = " + term.ToCSharp(v.Type) + ";");
                if (_inFused)
                {
                    _fusedDeclared.Add(arg);
                }

                return;
            }

            if (_gradient && _reverseDepth == 0 && v.Role == VarRole.Parameter && _adjoints.ContainsKey(arg) && _outAssigned.Add(arg))
            {
                // The first contribution to an out adjoint, where it always runs, assigns it.
                w.Line(_adjoints[arg] + " = " + term.ToCSharp(v.Type) + ";");
                return;
            }

            string adjoint = AdjointOf(arg);
            term = Negatable(term);
            if (term is NegOf negated)
            {
                w.Line(adjoint + " -= " + negated.Operand.ToCSharp(v.Type) + ";");
            }
            else
            {
                w.Line(adjoint + " += " + term.ToCSharp(v.Type) + ";");
            }
        }

        private void AccumulateElement(SourceWriter w, EquatableArray<int> args, Sym g, ScalarType type)
        {
            string element = Element(args, _rev, adjoint: true);
            bool invariant = _blockTerms is not null && _program.Variables[args[0]].Role == VarRole.Parameter;
            for (int i = 1; i < args.Count && invariant; i++)
            {
                invariant = _plan.IsInvariantIndex(args[i]);
            }

            if (invariant && _terms is not null)
            {
                if (args.Count == 2)
                {
                    _elementIndex[element] = (args[0], args[1]);
                }

                AddTerm(_terms, "i" + element, -1, element, g, type);
                return;
            }

            if (_terms is not null)
            {
                AddTerm(_terms, "e" + element, -1, element, g, type);
                return;
            }

            WriteElement(w, element, g, type);
        }

        /// <summary>−a − b as −(a + b), so that it is written as a subtraction: <c>dX -= a + b</c>.</summary>
        /// <summary>A term that reads better subtracted: −a − b as −(a + b), and a negative number −1.0 as −(1.0) (so <c>-= 1.0</c>, not <c>+= -1.0</c>).</summary>
        private static Sym Negatable(Sym term) => term switch
        {
            Binary { Op: '-', Left: NegOf first } difference => new NegOf(new Binary('+', first.Operand, difference.Right)),
            Num { Value: < 0 } negative => new NegOf(Sym.N(-negative.Value)),
            _ => term,
        };

        private static void WriteElementTerm(SourceWriter w, string element, Sym g, ScalarType type)
        {
            g = Negatable(g);
            if (g is NegOf negated)
            {
                w.Line(element + " -= " + negated.Operand.ToCSharp(type) + ";");
            }
            else
            {
                w.Line(element + " += " + g.ToCSharp(type) + ";");
            }
        }

        /// <summary>The adjoint of a non-temp variable, declared (zeroed) at the start of the reverse sweep on first use.</summary>
        private string AdjointOf(int id)
        {
            var v = _program.Variables[id];
            if (id == _program.Result)
            {
                _seedUsed = true;
                return _seed;
            }

            if (_gradient && v.Role == VarRole.Parameter && v.Shape == Shape.Scalar && _adjoints.ContainsKey(id) && _outAssigned.Add(id))
            {
                // An out adjoint first touched where it may not run: it starts at zero.
                _adjointDeclarations.Add(_adjoints[id] + " = " + Lit(0, v.Type) + ";");
            }

            if (LocalScope(id) is { } local)
            {
                if (local.Declared.Add(id))
                {
                    // Reached first inside a branch or an inner loop: zero at the start of each iteration.
                    local.Declarations.Line(MethodEmitter.TypeName(v.Type) + " " + Adjoint(id) + " = " + Lit(0, v.Type) + ";");
                }

                return Adjoint(id);
            }

            bool known = _adjoints.ContainsKey(id);
            string name = Adjoint(id);
            if (!known && v.Role != VarRole.Parameter && v.Shape == Shape.Scalar)
            {
                _adjointDeclarations.Add(MethodEmitter.TypeName(v.Type) + " " + name + " = " + Lit(0, v.Type) + ";");
            }

            return name;
        }

        /// <summary>A call to a user method composes through its pullback, which adds into our adjoints.</summary>
        /// <summary>
        /// Reverse over the tangent of a call (Hessian mode): ṫ = Σᵢ ∂G/∂aᵢ·ȧᵢ, so aᵢ receives g·(H_G·ȧ)ᵢ and ȧᵢ receives
        /// g·∂G/∂aᵢ, both from one call of the callee's Hessian-vector product along the arguments' tangents.
        /// </summary>
        private void ReverseCallTangent(SourceWriter w, IrStatement s, Sym g)
        {
            var call = _program.Calls[s.Aux];
            int n = s.Args.Count / 2;
            string callee = Last(call.Primal);
            var arguments = new List<string>();
            for (int i = 0; i < n; i++)
            {
                arguments.Add(Print(Rev(s.Args[i]), _program.Variables[s.Args[i]].Type, Sym.Precedence.Lowest));
            }

            var active = new List<int>();
            var returns = new List<string>();
            for (int i = 0; i < n; i++)
            {
                if (!call.ActiveParameters[i])
                {
                    continue;
                }

                active.Add(i);
                var tangent = _program.Variables[s.Args[n + i]];
                if (_program.Variables[s.Args[i]].Shape != Shape.Vector)
                {
                    arguments.Add(Print(Rev(s.Args[n + i]), tangent.Type, Sym.Precedence.Lowest));
                }
                else if (tangent.Shape == Shape.Vector)
                {
                    arguments.Add(Name(s.Args[n + i]));
                }
                else
                {
                    // Data that does not vary: its direction is zero.
                    arguments.Add(RentScratch(w, SignatureReader_Unique("zero" + Upper(callee) + Upper(call.ParameterName(i))), s.Args[i], returns, clear: true));
                }
            }

            var gradients = new List<string>();
            var products = new List<string>();
            foreach (int i in active)
            {
                string parameter = call.ParameterName(i);
                string d = SignatureReader_Unique("d" + Upper(callee) + Upper(parameter));
                string hv = SignatureReader_Unique("hv" + Upper(callee) + Upper(parameter));
                if (_program.Variables[s.Args[i]].Shape == Shape.Vector)
                {
                    // The callee fills these (generated Hessian-vector products overwrite their outputs).
                    gradients.Add(RentScratch(w, d, s.Args[i], returns, clear: false));
                    products.Add(RentScratch(w, hv, s.Args[i], returns, clear: false));
                }
                else
                {
                    gradients.Add(d);
                    products.Add(hv);
                }
            }

            for (int k = 0; k < active.Count; k++)
            {
                arguments.Add(_program.Variables[s.Args[active[k]]].Shape == Shape.Vector ? gradients[k] : "out " + MethodEmitter.TypeName(_real) + " " + gradients[k]);
            }

            for (int k = 0; k < active.Count; k++)
            {
                arguments.Add(_program.Variables[s.Args[active[k]]].Shape == Shape.Vector ? products[k] : "out " + MethodEmitter.TypeName(_real) + " " + products[k]);
            }

            var type = _program.Variables[s.Target].Type;
            if (g is not Atom)
            {
                string name = SignatureReader_Unique("d" + AdjointStem(s.Target));
                w.Line(MethodEmitter.TypeName(type) + " " + name + " = " + g.ToCSharp(type) + ";");
                g = Sym.V(name);
            }

            w.Line(call.HessianVector + "(" + string.Join(", ", arguments) + ");");
            for (int k = 0; k < active.Count; k++)
            {
                int i = active[k];
                if (_program.Variables[s.Args[i]].Shape != Shape.Vector)
                {
                    Accumulate(w, s.Args[i], Sym.Mul(g, Sym.V(products[k])), _program.Variables[s.Args[i]].Type);
                    Accumulate(w, s.Args[n + i], Sym.Mul(g, Sym.V(gradients[k])), _program.Variables[s.Args[n + i]].Type);
                    continue;
                }

                // aᵢ gains g·(H·ȧ)ᵢ and ȧᵢ gains g·∂G/∂aᵢ, element by element.
                bool argument = _program.Variables[s.Args[i]].Active;
                bool direction = _program.Variables[s.Args[n + i]] is { Active: true, Shape: Shape.Vector };
                if (!argument && !direction)
                {
                    continue;
                }

                string e = SignatureReader_Unique("k");
                w.Open("for (int " + e + " = 0; " + e + " < " + Length(s.Args[i], 0) + "; " + e + "++)");
                if (argument)
                {
                    w.Line(Adjoint(s.Args[i]) + "[" + e + "] += " + Sym.Mul(g, Sym.V(products[k] + "[" + e + "]")).ToCSharp(type) + ";");
                }

                if (direction)
                {
                    w.Line(Adjoint(s.Args[n + i]) + "[" + e + "] += " + Sym.Mul(g, Sym.V(gradients[k] + "[" + e + "]")).ToCSharp(type) + ";");
                }

                w.Close();
            }

            foreach (string line in returns)
            {
                w.Line(line);
            }
        }

        /// <summary>A pooled scratch span as long as <paramref name="like"/>, returned by the caller with the lines it adds to <paramref name="returns"/>.</summary>
        private string RentScratch(SourceWriter w, string name, int like, List<string> returns, bool clear)
        {
            string t = MethodEmitter.TypeName(_program.Variables[like].Type);
            string length = Length(like, 0);
            w.Line(t + "[] " + name + "Rented = ArrayPool<" + t + ">.Shared.Rent(" + length + ");");
            w.Line("Span<" + t + "> " + name + " = " + name + "Rented.AsSpan(0, " + length + ");");
            if (clear)
            {
                w.Line(name + ".Clear();");
            }

            returns.Add("ArrayPool<" + t + ">.Shared.Return(" + name + "Rented);");
            return name;
        }

        private void ReverseCall(SourceWriter w, IrStatement s, Sym g)
        {
            var call = _program.Calls[s.Aux];
            var type = _program.Variables[s.Target].Type;
            var arguments = new List<string>();
            foreach (int arg in s.Args)
            {
                arguments.Add(Print(Rev(arg), _program.Variables[arg].Type, Sym.Precedence.Lowest));
            }

            arguments.Add(g.ToCSharp(type));
            var after = new List<(int Arg, string Local)>();
            var scratchBuffers = new List<string>();
            for (int i = 0; i < s.Args.Count; i++)
            {
                if (!call.ActiveParameters[i])
                {
                    continue;
                }

                int arg = s.Args[i];
                var v = _program.Variables[arg];
                if (v.Shape != Shape.Scalar)
                {
                    if (v.Active)
                    {
                        arguments.Add(Adjoint(arg));
                    }
                    else
                    {
                        // The callee wants an adjoint buffer for data we do not differentiate: give it scratch space.
                        string scratch = SignatureReader_Unique("unused" + Upper(Name(arg)));
                        string t = MethodEmitter.TypeName(v.Type);
                        w.Line(t + "[] " + scratch + " = ArrayPool<" + t + ">.Shared.Rent(" + Length(arg, 0) + ");");
                        scratchBuffers.Add("ArrayPool<" + t + ">.Shared.Return(" + scratch + ");");
                        arguments.Add(scratch + ".AsSpan(0, " + Length(arg, 0) + ")");
                    }

                    continue;
                }

                if (v.Active && v.Role != VarRole.Temp)
                {
                    arguments.Add("ref " + AdjointOf(arg));
                    continue;
                }

                string local = SignatureReader_Unique(v.Active ? "d" + AdjointStem(arg) : "unused");
                w.Line(MethodEmitter.TypeName(v.Type) + " " + local + " = " + Lit(0, v.Type) + ";");
                arguments.Add("ref " + local);
                if (v.Active)
                {
                    after.Add((arg, local));
                }
            }

            w.Line(call.Backward + "(" + string.Join(", ", arguments) + ");");
            foreach (var line in scratchBuffers)
            {
                w.Line(line); // scratch for adjoints nobody reads, returned at once (it may be inside a loop)
            }

            foreach (var (arg, local) in after)
            {
                Accumulate(w, arg, Sym.V(local), _program.Variables[arg].Type);
            }
        }

        private void ReverseIf(SourceWriter w, IrStatement s)
        {
            if (!_plan[s].HasReverseWork)
            {
                return;
            }

            int condition = s.Args[0];
            string c;
            if (_plan.Variables[condition].Mode == TempMode.SavedAfter)
            {
                c = Name(condition);
                w.Line("bool " + c + " = " + Stack(ScalarType.Bool) + ".Pop();");
            }
            else
            {
                c = Print(Rev(condition), ScalarType.Bool, Sym.Precedence.Lowest);
            }

            var whenTrue = new SourceWriter();
            var whenFalse = new SourceWriter();
            _reverseDepth++;
            Reverse(whenTrue, s.Body);
            Reverse(whenFalse, s.Else);
            _reverseDepth--;
            if (whenTrue.IsEmpty && whenFalse.IsEmpty)
            {
                return;
            }

            if (s.Source >= 0)
            {
                w.Line(Comment(s.Source));
            }

            if (whenTrue.IsEmpty)
            {
                w.Open("if (!" + Print(Sym.V(c), ScalarType.Bool, Sym.Precedence.Unary) + ")");
                w.Append(whenFalse);
                w.Close();
                return;
            }

            w.Open("if (" + c + ")");
            w.Append(whenTrue);
            w.Close();
            if (!whenFalse.IsEmpty)
            {
                w.Open("else");
                w.Append(whenFalse);
                w.Close();
            }
        }

        private void ReverseFor(SourceWriter w, IrStatement s)
        {
            if (_wholeStore is not { } whole || !ReferenceEquals(s, whole.Loop))
            {
                ReverseLoopOf(w, s);
                return;
            }

            // The loop that stores the adjoint whole: its element's term is stored, then come the terms held back
            // (with those still waiting in the block's terms, which would otherwise be written ahead of the loop).
            if (!HoldBackBlockTerms())
            {
                GiveUpWholeStore(w);
                ReverseLoopOf(w, s);
                return;
            }

            _wholeElement = whole.ElementPrefix + Name(s.Target) + "]";
            ReverseLoopOf(w, s);
            _wholeElement = null;
            _wholeStore = null;
            if (_wholeStored)
            {
                _storedWhole.Add(whole.Array);
            }

            foreach (var (element, term, type) in _heldBack)
            {
                WriteElementTerm(w, element, term, type);
            }

            _heldBack.Clear();
        }

        private void ReverseLoopOf(SourceWriter w, IrStatement s)
        {
            foreach (var extremum in _plan.RunningExtrema(s))
            {
                ReverseRunningExtremum(w, extremum);
            }

            if (!_plan[s].HasReverseWork)
            {
                return;
            }

            string Bound(int id) => _plan.Variables[id].Mode == TempMode.SavedAfter ? Name(id) : Print(Rev(id), ScalarType.Int, Sym.Precedence.Additive);
            var pops = new List<string>();
            foreach (int bound in new[] { s.Args[1], s.Args[0] })
            {
                if (_plan.Variables[bound].Mode == TempMode.SavedAfter)
                {
                    pops.Add("int " + Name(bound) + " = " + Stack(ScalarType.Int) + ".Pop();");
                }
            }

            var body = new SourceWriter();
            _reverseDepth++;
            var scope = new LoopScope(s, _plan.IterationLocals(s), _reverseDepth);
            _loopScopes.Add(scope);
            Reverse(body, s.Body);
            _loopScopes.RemoveAt(_loopScopes.Count - 1);
            _reverseDepth--;
            if (!body.IsEmpty)
            {
                // Locals that are cheap functions of unwritten data and the counter are computed again, not saved.
                var withLocals = new SourceWriter();
                withLocals.Append(scope.Declarations);
                foreach (var definition in _plan.Rematerialized(s))
                {
                    if (_plan.Variables[definition.Target].Needed)
                    {
                        withLocals.Line(Name(definition.Target) + " = " + Print(Expression(definition, Inline), _program.Variables[definition.Target].Type, Sym.Precedence.Lowest) + ";");
                    }
                }

                withLocals.Append(body);
                body = withLocals;
            }

            foreach (var pop in pops)
            {
                w.Line(pop);
            }

            if (body.IsEmpty)
            {
                return;
            }

            if (s.Source >= 0)
            {
                w.Line(Comment(s.Source));
            }

            string i = Name(s.Target);
            if (s.Constant != 0)
            {
                // A descending loop runs backwards as an ascending one, from the last value it took up to its start.
                string last = s.Constant == -1 ? Bound(s.Args[1]) : Print(Sym.Add(Rev(s.Args[1]) is Num bn ? bn : Sym.Raw(Bound(s.Args[1]), Sym.Precedence.Additive), Sym.One), ScalarType.Int, Sym.Precedence.Lowest);
                w.Open("for (int " + i + " = " + last + "; " + i + " <= " + Bound(s.Args[0]) + "; " + i + "++)");
                w.Append(body);
                w.Close();
                return;
            }

            string hi = Bound(s.Args[1]);
            string start = _plan.Variables[s.Args[1]].Mode != TempMode.SavedAfter && Rev(s.Args[1]) is Num n
                ? Lit(n.Value - 1, ScalarType.Int)
                : hi.EndsWith(" + 1", System.StringComparison.Ordinal) ? hi.Substring(0, hi.Length - 4) : hi + " - 1";
            w.Open("for (int " + i + " = " + start + "; " + i + " >= " + Bound(s.Args[0]) + "; " + i + "--)");
            w.Append(body);
            w.Close();
        }

        /// <summary>
        /// The reverse sweep of a running extremum for the whole loop: the element where it was last attained gets
        /// its adjoint, and the value from before the loop keeps it only when no element beat it.
        /// </summary>
        private void ReverseRunningExtremum(SourceWriter w, RunningExtremum extremum)
        {
            if (!_extremumAt.TryGetValue(extremum.Statement, out var kept))
            {
                return;
            }

            string at = kept.At;
            var type = _program.Variables[extremum.Accumulator].Type;
            string adjoint = AdjointOf(extremum.Accumulator);
            if (extremum.Statement.Source >= 0)
            {
                w.Line(Comment(extremum.Statement.Source));
            }

            w.Open("if (" + at + " >= 0)");
            if (_program.Variables[extremum.Array].Active)
            {
                w.Line(Adjoint(extremum.Array) + "[" + at + "] += " + adjoint + ";");
            }

            w.Line(adjoint + " = " + Lit(0, type) + ";");
            w.Close();
        }

        /// <summary>A value with the temps of its statement written out in full (for recomputing a local in one line).</summary>
        private Sym Inline(int id)
        {
            var v = _program.Variables[id];
            if (v.Role == VarRole.Temp && _plan.Variables[id].Definition is { } def)
            {
                return def.Op == Op.Const && def.Text is null ? Sym.Raw(Lit(def.Constant, v.Type), def.Constant < 0 ? Sym.Precedence.Unary : Sym.Precedence.Atom) : Expression(def, Inline);
            }

            return Sym.V(Name(id));
        }

        private void ReverseLoop(SourceWriter w, IrStatement s)
        {
            var info = _plan[s];
            if (!info.HasReverseWork || !_loopNames.TryGetValue(s, out var count))
            {
                return;
            }

            bool hasExit = s.Args.Count > 1 && info.PreHasWork;
            string exited = count + "Exited";
            if (info.LoopDepth > 0)
            {
                if (hasExit)
                {
                    w.Line("bool " + exited + " = " + Stack(ScalarType.Bool) + ".Pop();");
                }

                w.Line("int " + count + " = " + Stack(ScalarType.Int) + ".Pop();");
            }

            var pre = new SourceWriter();
            _reverseDepth++;
            Reverse(pre, s.Body);
            var pre2 = new SourceWriter();
            if (!pre.IsEmpty)
            {
                Reverse(pre2, s.Body);
            }

            var post = new SourceWriter();
            Reverse(post, s.Else);
            _reverseDepth--;
            if (s.Source >= 0)
            {
                w.Line(Comment(s.Source));
            }

            if (!pre.IsEmpty)
            {
                // The condition evaluation that ended the loop ran once more than the body.
                if (hasExit)
                {
                    w.Open("if (!" + exited + ")");
                    w.Append(pre);
                    w.Close();
                }
                else
                {
                    // Braces keep its locals apart from the copy inside the loop below.
                    w.Line("{");
                    w.Indent++;
                    w.Append(pre);
                    w.Indent--;
                    w.Line("}");
                }
            }

            w.Open("for (; " + count + " > 0; " + count + "--)");
            w.Append(post);
            w.Append(pre2);
            w.Close();
        }
    }
}
