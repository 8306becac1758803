using System.Collections.Generic;
using DiffGen.Generator.FrontEnd;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>How the reverse sweep gets the value of a temp it needs.</summary>
    internal enum TempMode
    {
        /// <summary>The reverse sweep never reads it.</summary>
        Unneeded,

        /// <summary>Computed once (outside loops) into a local that is still there in the reverse sweep.</summary>
        Available,

        /// <summary>Cheap to compute again (an element read, a length, index arithmetic): the reverse sweep recomputes it.</summary>
        Recompute,

        /// <summary>Expensive and overwritten by the next iteration: pushed where it is defined, popped in reverse.</summary>
        Saved,

        /// <summary>A value a loop or if needs to replay its control flow: pushed after the statement completes.</summary>
        SavedAfter,

        /// <summary>
        /// Expensive, but stored into an element of a local buffer that still holds it when the reverse sweep gets there
        /// (<c>hidden[j] = Math.Tanh(…)</c> in a counted loop, <c>j</c> its counter, the buffer's only write): read back
        /// from the element (see <see cref="VariableInfo.StoredIn"/>).
        /// </summary>
        Stored,
    }

    /// <summary>Where the old value of an overwritten variable or element is kept for the reverse sweep.</summary>
    internal enum SaveKind
    {
        None,

        /// <summary>A local of its own (the site runs at most once per call).</summary>
        Slot,

        /// <summary>The typed value stack (the site is inside a loop).</summary>
        Stack,
    }

    internal sealed class StatementInfo
    {
        /// <summary>For a general loop: whether replaying its condition evaluation (the pre block) has any work.</summary>
        public bool PreHasWork;

        /// <summary>For a loop: the variables the reverse sweep reads, since they were last written, when the loop is entered.</summary>
        public VariableSet? EntryReads;

        public int Top;
        public int LoopDepth;
        public int Depth;
        public SaveKind Save;
        public string? Slot;
        public bool HasReverseWork;
    }

    internal sealed class VariableInfo
    {
        public bool Needed;
        public int NeededTop = int.MaxValue;
        public TempMode Mode;
        public int Uses;
        public int Definitions;
        public IrStatement? Definition;
        public bool DefinedInLoop;
        public bool DefinedAtTop;
        public bool IsLoopCounter;

        /// <summary>A foreach element (x = w[i] first in a counted loop over unwritten data): recomputed in reverse, never saved.</summary>
        public bool IsLoopElement;

        /// <summary>
        /// For a temp read in a later statement group than the one defining it (a ternary inside an expression splits
        /// a statement): the first statement of the last group that reads it. A saved temp is pushed there, not at its
        /// definition, so it is popped before the reverse sweep of that group reads it.
        /// </summary>
        public IrStatement? PushPoint;

        /// <summary>
        /// The write <c>buffer[j] = temp</c> that ends this temp's group, when the element provably still holds the temp's
        /// value at that write's reverse sweep: the temp is then <see cref="TempMode.Stored"/> instead of saved.
        /// </summary>
        public IrStatement? StoredIn;
    }

    /// <summary>
    /// Decides, at compile time, what the reverse sweep needs and how it gets it: which values are read again,
    /// which are recomputed, and which overwritten values must be saved (in a local outside loops, on a typed
    /// stack inside them). It saves the minimum: a value is saved only where it is overwritten after the first
    /// place the reverse sweep reads it. The rules are described in docs/reverse-sweep.md.
    /// </summary>
    internal sealed partial class ReversePlan
    {
        private readonly Dictionary<IrStatement, StatementInfo> _statements = new(ReferenceComparer<IrStatement>.Instance);

        /// <summary>
        /// The plan for a program; when a top-level loop can run each iteration's reverse sweep right after the
        /// iteration (see <see cref="FusableLoop"/>), the plan for that schedule.
        /// </summary>
        public static ReversePlan Create(IrProgram program)
        {
            var plan = Create(program, null);
            return plan.FusableLoop() is { } loop && Create(program, loop) is { } fused && fused.RestoresOnlyIterationValues() ? fused : plan;
        }

        private static ReversePlan Create(IrProgram program, IrStatement? fused)
        {
            var plan = new ReversePlan(program, fused, extrema: true);
            return plan.ExtremaUnsaved() ? plan : new ReversePlan(program, fused, extrema: false);
        }

        private ReversePlan(IrProgram program, IrStatement? fused, bool extrema)
        {
            Program = program;
            Fused = fused;
            Variables = new VariableInfo[program.Variables.Count];
            for (int i = 0; i < Variables.Length; i++)
            {
                Variables[i] = new VariableInfo();
            }

            for (int top = 0; top < program.Body.Count; top++)
            {
                Number(program.Body[top], top, 0, 0);
            }

            if (extrema)
            {
                FindRunningExtrema();
            }

            FindCrossGroupTemps(program.Body);
            FindStoredTemps(program.Body, null);
            Passes.StatementWalker.Walk(program.Body, s =>
            {
                if (ReferenceEquals(s, fused))
                {
                    return; // its locals are still there when its reverse sweep runs
                }

                foreach (var definition in Rematerialized(s))
                {
                    Variables[definition.Target].IsLoopElement = true;
                }
            });

            bool changed = true;
            while (changed)
            {
                changed = SeedNeeds();
                changed |= Close();
                changed |= DecideSaves();
                changed |= DecideWork();
            }
        }

        public IrProgram Program { get; }

        /// <summary>
        /// The top-level counted loop whose iterations each run their reverse sweep right after their forward sweep
        /// (nothing it computes is saved), or null. Its statements are planned as if they were at the top level.
        /// </summary>
        public IrStatement? Fused { get; }

        public VariableInfo[] Variables { get; }

        public StatementInfo this[IrStatement statement] => _statements[statement];

        public IrVariable Var(int id) => Program.Variables[id];

        public bool IsActive(int id) => id >= 0 && Program.Variables[id].Active;

        private readonly HashSet<IrStatement> _fusedBody = new(ReferenceComparer<IrStatement>.Instance);

        private void Number(IrStatement s, int top, int loopDepth, int depth, bool inFused = false)
        {
            _statements[s] = new StatementInfo { Top = top, LoopDepth = loopDepth, Depth = depth };
            if (inFused)
            {
                _fusedBody.Add(s);
            }

            foreach (var a in s.Args)
            {
                Variables[a].Uses++;
            }

            if (s.Kind is StmtKind.Assign or StmtKind.Alloc)
            {
                var v = Variables[s.Target];
                v.Definitions++;
                v.Definition ??= s;
                v.DefinedInLoop |= loopDepth > 0;
                v.DefinedAtTop |= depth == 0;
            }

            if (s.Kind == StmtKind.For)
            {
                Variables[s.Target].IsLoopCounter = true;
            }

            bool loop = s.Kind is StmtKind.For or StmtKind.Loop && !ReferenceEquals(s, Fused);
            inFused |= ReferenceEquals(s, Fused);
            foreach (var child in s.Body)
            {
                Number(child, top, loopDepth + (loop ? 1 : 0), depth + 1, inFused);
            }

            foreach (var child in s.Else)
            {
                Number(child, top, loopDepth + (loop ? 1 : 0), depth + 1, inFused);
            }
        }

        /// <summary>Groups are split exactly as the reverse emitter splits them: a run of temps ending at any other statement.</summary>
        private void FindCrossGroupTemps(EquatableArray<IrStatement> block)
        {
            var definedIn = new Dictionary<int, int>();
            var groupStart = new List<IrStatement>();
            int group = 0;
            bool startNew = true;
            foreach (var s in block)
            {
                if (startNew)
                {
                    groupStart.Add(s);
                    startNew = false;
                }

                foreach (int a in s.Args)
                {
                    if (definedIn.TryGetValue(a, out int g) && g != group)
                    {
                        Variables[a].PushPoint = groupStart[group];
                    }
                }

                if (s.Kind == StmtKind.Assign && Var(s.Target).Role == VarRole.Temp)
                {
                    definedIn[s.Target] = group;
                }
                else
                {
                    group++;
                    startNew = true;
                }

                FindCrossGroupTemps(s.Body);
                FindCrossGroupTemps(s.Else);
            }
        }

        /// <summary>
        /// Temps stored by the write that ends their group, <c>buffer[j] = temp</c>, where the element still holds the
        /// value when the reverse sweep reaches that write, so it can be read back instead of saved. The proof: the write
        /// is at the top level of a counted loop that no other loop encloses (the fused loop aside), <c>j</c> is the
        /// loop's counter, which the body never assigns (each iteration writes another element), and the buffer is a
        /// one-dimensional local buffer allocated once whose only write in the whole method is this one and that is
        /// used only by element reads and its length. Between the write and its reverse sweep nothing else then
        /// writes that element: not the loop's later iterations, not their reverse sweeps (which restore only their
        /// own elements), not any other statement.
        /// </summary>
        private void FindStoredTemps(EquatableArray<IrStatement> block, IrStatement? parent)
        {
            var groupTemps = new HashSet<int>();
            foreach (var s in block)
            {
                if (s.Kind == StmtKind.Assign && Var(s.Target).Role == VarRole.Temp)
                {
                    groupTemps.Add(s.Target);
                    continue;
                }

                if (s.Kind == StmtKind.Store && s.Args.Count == 3 && parent is { Kind: StmtKind.For } loop && !ReferenceEquals(loop, Fused)
                    && _statements[loop].LoopDepth == 0 && s.Args[1] == loop.Target && Variables[loop.Target].Definitions == 0
                    && groupTemps.Contains(s.Args[2]) && Variables[s.Args[2]].Definitions == 1 && OnlyWrite(s.Args[0], s)
                    && Var(s.Args[0]).Type == Var(s.Args[2]).Type)
                {
                    Variables[s.Args[2]].StoredIn = s;
                }

                groupTemps.Clear();
                FindStoredTemps(s.Body, s);
                FindStoredTemps(s.Else, s);
            }
        }

        /// <summary>
        /// An active one-dimensional local buffer allocated once, whose only write in the method is
        /// <paramref name="write"/> and whose other uses are element reads and its length.
        /// </summary>
        private bool OnlyWrite(int buffer, IrStatement write)
        {
            if (Var(buffer) is not { Storage: Storage.LocalBuffer, Shape: Shape.Vector, Active: true } || Variables[buffer].Definitions != 1)
            {
                return false;
            }

            bool ok = true;
            StatementWalker(Program.Body, s =>
            {
                if (ReferenceEquals(s, write) || !Contains(s.Args, buffer))
                {
                    return;
                }

                ok &= s.Kind == StmtKind.Assign && s.Op is Op.Load or Op.Length && s.Args[0] == buffer;
                for (int i = 1; i < s.Args.Count; i++)
                {
                    ok &= s.Args[i] != buffer;
                }
            });
            for (int i = 1; i < write.Args.Count; i++)
            {
                ok &= write.Args[i] != buffer;
            }

            return ok;
        }

        /// <summary>
        /// Locals of a counted loop's body that are cheap, pure functions of data the method never writes, the loop
        /// counter and fixed values (a foreach element <c>x = w[i]</c>, <c>t = x[i + 1] - x[i] * x[i]</c>): defined once
        /// per iteration at the top level of the body and not read before that. The reverse sweep computes them again
        /// at the top of each reverse iteration instead of saving them. In body order.
        /// </summary>
        public List<IrStatement> Rematerialized(IrStatement loop)
        {
            var result = new List<IrStatement>();
            if (loop.Kind != StmtKind.For)
            {
                return result;
            }

            var known = new HashSet<int>();
            var temps = new Dictionary<int, IrStatement>();
            for (int k = 0; k < loop.Body.Count; k++)
            {
                var s = loop.Body[k];
                if (s.Kind == StmtKind.Assign && Var(s.Target).Role == VarRole.Temp)
                {
                    temps[s.Target] = s;
                    continue;
                }

                if (s.Kind == StmtKind.Assign && Var(s.Target).Role == VarRole.Local && Var(s.Target).Shape == Shape.Scalar
                    && Variables[s.Target].Definitions == 1 && IsPure(s, temps, known, loop.Target, 0) && !ReadBefore(loop.Body, k, s.Target))
                {
                    result.Add(s);
                    known.Add(s.Target);
                }

                temps.Clear();
            }

            return result;
        }

        private bool IsPure(IrStatement s, Dictionary<int, IrStatement> temps, HashSet<int> known, int counter, int depth)
        {
            if (depth > 8 || !(s.Op is Op.Copy or Op.Convert or Op.Neg or Op.Add or Op.Sub or Op.Mul or Op.Div or Op.Load or Op.Const or Op.Named or Op.Length))
            {
                return false;
            }

            if (s.Op == Op.Load && Var(s.Args[0]).Storage.IsWritable())
            {
                return false;
            }

            for (int i = s.Op == Op.Load ? 1 : 0; i < s.Args.Count; i++)
            {
                int a = s.Args[i];
                bool ok = a == counter || known.Contains(a) || IsStable(a) || IsFixed(a)
                    || (temps.TryGetValue(a, out var def) && IsPure(def, temps, known, counter, depth + 1));
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool ReadBefore(EquatableArray<IrStatement> body, int index, int id)
        {
            bool read = false;
            for (int k = 0; k < index && !read; k++)
            {
                Passes.StatementWalker.Walk(new EquatableArray<IrStatement>(new[] { body[k] }), s =>
                {
                    foreach (int a in s.Args)
                    {
                        read |= a == id;
                    }
                });
            }

            return read;
        }

        private bool Need(int id, int top)
        {
            var v = Variables[id];
            bool changed = !v.Needed || top < v.NeededTop;
            v.Needed = true;
            if (top < v.NeededTop)
            {
                v.NeededTop = top;
            }

            return changed;
        }

        /// <summary>Values read by the derivative rules of active statements, and by the replay of control flow that has work.</summary>
        private bool SeedNeeds()
        {
            bool changed = false;
            StatementWalker(Program.Body, s =>
            {
                var info = _statements[s];
                switch (s.Kind)
                {
                    case StmtKind.Assign when IsActive(s.Target):
                        foreach (int a in DerivativeRules.OperandsRead(this, s, Scratch()))
                        {
                            changed |= Need(a, info.Top);
                        }

                        if (DerivativeRules.ReadsResult(this, s))
                        {
                            changed |= Need(s.Target, info.Top);
                        }

                        break;
                    case StmtKind.Store or StmtKind.StoreAdd when IsActive(s.Args[0]) || info.Save != SaveKind.None:
                        // The element's adjoint, or the restore of its old value, reads the indices.
                        for (int i = 1; i < s.Args.Count - 1; i++)
                        {
                            changed |= Need(s.Args[i], info.Top);
                        }

                        break;
                    case StmtKind.If when info.HasReverseWork:
                        changed |= Need(s.Args[0], info.Top);
                        break;
                    case StmtKind.For when info.HasReverseWork:
                        changed |= Need(s.Args[0], info.Top);
                        changed |= Need(s.Args[1], info.Top);
                        break;
                }
            });
            return changed;
        }

        /// <summary>Needed temps inside loops are recomputed when cheap (their operands become needed) or saved.</summary>
        private bool Close()
        {
            bool changed = false;
            bool again = true;
            while (again)
            {
                again = false;
                for (int id = 0; id < Variables.Length; id++)
                {
                    var v = Variables[id];
                    if (!v.Needed || Var(id).Role != VarRole.Temp || v.Definition is not { } def)
                    {
                        continue;
                    }

                    TempMode mode;
                    if (IsStable(id))
                    {
                        mode = TempMode.Recompute;
                    }
                    else if (!v.DefinedInLoop && !IsScaled(def) && !(_fusedBody.Contains(def) && (Var(id).Type == ScalarType.Int || def.Op == Op.Load)))
                    {
                        mode = TempMode.Available;
                    }
                    else if (IsRecomputable(def) && (v.PushPoint is null || Var(id).Type == ScalarType.Int))
                    {
                        mode = TempMode.Recompute;
                        foreach (int a in def.Args)
                        {
                            again |= Need(a, v.NeededTop);
                        }
                    }
                    else if (v.StoredIn is not null && v.PushPoint is null)
                    {
                        mode = TempMode.Stored;
                    }
                    else
                    {
                        mode = IsControlValue(id) ? TempMode.SavedAfter : TempMode.Saved;
                    }

                    if (v.Mode != mode)
                    {
                        v.Mode = mode;
                        again = true;
                        changed = true;
                    }
                }

                changed |= again;
            }

            return changed;
        }

        /// <summary>Constants, named constants, lengths and their conversions: the same value everywhere, so they are always written inline.</summary>
        public bool IsStable(int id)
        {
            var def = Variables[id].Definition;
            if (Var(id).Role != VarRole.Temp || def is null || Variables[id].Definitions != 1)
            {
                return false;
            }

            return def.Op switch
            {
                Op.Const or Op.Named or Op.Length => true,
                Op.Convert or Op.Neg or Op.Copy => IsStable(def.Args[0]) || IsFixed(def.Args[0]),
                _ => false,
            };
        }

        /// <summary>A variable that never changes once set: a parameter never assigned, or a local assigned once outside loops.</summary>
        private bool IsFixed(int id)
        {
            var v = Var(id);
            var info = Variables[id];
            if (v.Shape != Shape.Scalar || v.Role == VarRole.Temp)
            {
                return false;
            }

            return v.Role == VarRole.Parameter ? info.Definitions == 0 : info.Definitions == 1 && !info.DefinedInLoop && info.DefinedAtTop;
        }

        private bool IsControlValue(int id)
        {
            bool control = false;
            StatementWalker(Program.Body, s =>
            {
                if ((s.Kind == StmtKind.If && s.Args[0] == id) || (s.Kind == StmtKind.For && (s.Args[0] == id || s.Args[1] == id)))
                {
                    control = true;
                }
            });
            return control;
        }

        private bool IsRecomputable(IrStatement def)
        {
            if (Var(def.Target).Type == ScalarType.Bool)
            {
                return false; // decisions are recorded, not recomputed
            }

            return def.Op switch
            {
                Op.Const or Op.Named or Op.Length or Op.Load or Op.Copy or Op.Convert or Op.Neg or Op.Add or Op.Sub or Op.Mul or Op.Select => true,
                Op.Div or Op.Rem => Var(def.Target).Type == ScalarType.Int || true,
                _ => false,
            };
        }

        /// <summary>
        /// A write saves the old value only when the reverse sweep reads that old value: some statement between
        /// the write that produced it and this write reads it in the reverse sweep. This is a forward may-analysis
        /// ("read since last written") over the structured program, iterated to a fixed point around loops.
        /// </summary>
        private bool DecideSaves()
        {
            var before = new Dictionary<IrStatement, SaveKind>(_statements.Count, ReferenceComparer<IrStatement>.Instance);
            foreach (var pair in _statements)
            {
                before[pair.Key] = pair.Value.Save;
                pair.Value.Save = SaveKind.None;
            }

            Flow(Program.Body, new VariableSet(Variables.Length));
            bool changed = false;
            foreach (var pair in _statements)
            {
                changed |= before[pair.Key] != pair.Value.Save;
            }

            return changed;
        }

        private VariableSet Flow(EquatableArray<IrStatement> block, VariableSet state)
        {
            foreach (var s in block)
            {
                var info = _statements[s];
                switch (s.Kind)
                {
                    case StmtKind.Assign:
                        var target = Var(s.Target);
                        bool readsResult = IsActive(s.Target) && DerivativeRules.ReadsResult(this, s);
                        foreach (int read in ReverseReads(s))
                        {
                            state.Add(read);
                        }

                        if (target.Role == VarRole.Temp)
                        {
                            if (Variables[s.Target].Mode == TempMode.Saved && Variables[s.Target].PushPoint is null)
                            {
                                info.Save = SaveKind.Stack;
                            }
                        }
                        else if (!Variables[s.Target].IsLoopCounter && !Variables[s.Target].IsLoopElement)
                        {
                            if (state.Contains(s.Target))
                            {
                                info.Save = info.LoopDepth > 0 ? SaveKind.Stack : SaveKind.Slot;
                            }

                            state.Remove(s.Target);
                            if (readsResult)
                            {
                                state.Add(s.Target);
                            }
                        }

                        break;
                    case StmtKind.Store:
                    case StmtKind.StoreAdd:
                        foreach (int read in ReverseReads(s))
                        {
                            state.Add(read);
                        }

                        if (state.Contains(s.Args[0]))
                        {
                            info.Save = info.LoopDepth > 0 ? SaveKind.Stack : SaveKind.Slot;
                        }

                        break;
                    case StmtKind.Alloc:
                        state.Remove(s.Target);
                        break;
                    case StmtKind.If:
                        // The state is this call's own: the else branch may take it, the then branch gets a copy.
                        var whenTrue = Flow(s.Body, new VariableSet(state));
                        var whenFalse = Flow(s.Else, state);
                        state = whenTrue;
                        state.UnionWith(whenFalse);
                        break;
                    case StmtKind.For when ReferenceEquals(s, Fused):
                        // Each iteration's reverse sweep runs right after it: nothing read there is read later.
                        info.EntryReads = new VariableSet(state);
                        Flow(s.Body, new VariableSet(Variables.Length));
                        break;
                    case StmtKind.For:
                    case StmtKind.Loop:
                        // Round by round, entry grows by what the body reads until the body adds nothing new.
                        // entry is this call's own state, so it grows in place; for a counted loop it is also
                        // the state after the (empty) part before the body.
                        var entry = state;
                        info.EntryReads = new VariableSet(state);
                        while (true)
                        {
                            var afterPre = s.Kind == StmtKind.Loop ? Flow(s.Body, new VariableSet(entry)) : entry;
                            var afterBody = Flow(s.Kind == StmtKind.Loop ? s.Else : s.Body, new VariableSet(afterPre));
                            if (!entry.UnionWith(afterBody))
                            {
                                state = afterPre;
                                state.UnionWith(afterBody);
                                break;
                            }
                        }

                        break;
                }
            }

            return state;
        }

        private readonly List<int> _scratch = new();

        /// <summary>The planner's reusable list of operands: empty, for one caller to fill and read before the next asks.</summary>
        private List<int> Scratch()
        {
            _scratch.Clear();
            return _scratch;
        }

        /// <summary>The variables a statement's reverse-sweep code reads (rule operands, indices, recomputation inputs), in the scratch list.</summary>
        private List<int> ReverseReads(IrStatement s)
        {
            var reads = Scratch();
            switch (s.Kind)
            {
                case StmtKind.Assign:
                    if (IsActive(s.Target))
                    {
                        DerivativeRules.OperandsRead(this, s, reads);
                    }

                    // A temp recomputed in the reverse sweep reads all its operands there. A length reads no
                    // element, so writes into the buffer do not have to be undone for it.
                    if (Var(s.Target).Role == VarRole.Temp && Variables[s.Target] is { Needed: true, Mode: TempMode.Recompute } && s.Op != Op.Length)
                    {
                        foreach (int a in s.Args)
                        {
                            reads.Add(a);
                        }
                    }

                    break;
                case StmtKind.Store or StmtKind.StoreAdd when IsActive(s.Args[0]) || _statements[s].Save != SaveKind.None:
                    for (int i = 1; i < s.Args.Count - 1; i++)
                    {
                        reads.Add(s.Args[i]);
                    }

                    break;
            }

            return reads;
        }

        private bool DecideWork()
        {
            bool changed = false;
            foreach (var s in Program.Body)
            {
                changed |= Work(s);
            }

            return changed;
        }

        private bool Work(IrStatement s)
        {
            bool changed = false;
            bool work = s.Kind switch
            {
                StmtKind.Assign => IsActive(s.Target) || _statements[s].Save != SaveKind.None,
                StmtKind.Store or StmtKind.StoreAdd => IsActive(s.Args[0]) || _statements[s].Save != SaveKind.None,
                _ => false,
            };
            foreach (var child in s.Body)
            {
                changed |= Work(child);
                work |= _statements[child].HasReverseWork;
            }

            foreach (var child in s.Else)
            {
                changed |= Work(child);
                work |= _statements[child].HasReverseWork;
            }

            var info = _statements[s];
            if (s.Kind == StmtKind.Loop)
            {
                foreach (var child in s.Body)
                {
                    info.PreHasWork |= _statements[child].HasReverseWork;
                }
            }

            if (ReferenceEquals(s, Fused))
            {
                return changed; // its reverse sweep is part of its forward sweep
            }

            if (work && !info.HasReverseWork)
            {
                info.HasReverseWork = true;
                changed = true;
            }

            return changed;
        }

        /// <summary>
        /// A top-level counted loop whose iterations can each run their reverse sweep right after their forward sweep,
        /// so nothing the loop computes has to be saved: no adjoint crosses iterations except that of sums
        /// (<c>sum += …</c>, whose adjoint is the same in every iteration), every other variable the loop writes is
        /// computed afresh in each iteration and not read after the loop, active local buffers are not written, and
        /// the statements after the loop are plain assignments whose reverse sweep reads only values fixed before the
        /// loop (so it can run first and give the sums their adjoints: <c>return sum / n</c>, not <c>Math.Log(sum)</c>).
        /// </summary>
        private IrStatement? FusableLoop()
        {
            var body = Program.Body;
            for (int k = body.Count - 1; k >= 0; k--)
            {
                var loop = body[k];
                if (loop.Kind != StmtKind.For)
                {
                    if (loop.Kind is StmtKind.Assign)
                    {
                        continue;
                    }

                    return null;
                }

                return _statements[loop].HasReverseWork && !_extremaByLoop.ContainsKey(loop) && CanFuse(k) ? loop : null;
            }

            return null;
        }

        private bool CanFuse(int k)
        {
            var body = Program.Body;
            var loop = body[k];
            var before = new HashSet<int>();
            for (int i = 0; i < k; i++)
            {
                Passes.StatementWalker.Walk(new EquatableArray<IrStatement>(new[] { body[i] }), s =>
                {
                    if (s.Kind is StmtKind.Assign or StmtKind.Alloc)
                    {
                        before.Add(s.Target);
                    }
                });
            }

            bool Fixed(int id) => IsStable(id) || (Var(id).Role == VarRole.Parameter && Variables[id].Definitions == 0)
                || (IsFixed(id) && before.Contains(id));

            // The statements after the loop: their reverse sweep runs before it.
            var readAfter = new HashSet<int>();
            for (int i = k + 1; i < body.Count; i++)
            {
                var s = body[i];
                if (s.Kind != StmtKind.Assign || _statements[s].Save != SaveKind.None)
                {
                    return false;
                }

                foreach (int a in s.Args)
                {
                    readAfter.Add(a);
                }

                if (IsActive(s.Target))
                {
                    if (DerivativeRules.ReadsResult(this, s) || s.Op == Op.Call)
                    {
                        return false;
                    }

                    foreach (int a in DerivativeRules.OperandsRead(this, s, Scratch()))
                    {
                        if (!Fixed(a))
                        {
                            return false;
                        }
                    }
                }
            }

            // What the loop writes.
            var written = new HashSet<int>();
            var accumulations = new Dictionary<int, int>();
            var reads = new Dictionary<int, int>();
            var activeBuffers = new HashSet<int>();
            bool ok = true;
            Passes.StatementWalker.Walk(loop.Body, s =>
            {
                foreach (int a in s.Args)
                {
                    reads[a] = reads.TryGetValue(a, out int n) ? n + 1 : 1;
                }

                switch (s.Kind)
                {
                    case StmtKind.Store or StmtKind.StoreAdd:
                        written.Add(s.Args[0]);
                        if (IsActive(s.Args[0]))
                        {
                            activeBuffers.Add(s.Args[0]);
                        }

                        break;
                    case StmtKind.Alloc:
                        ok = false;
                        break;
                    case StmtKind.Assign when Var(s.Target).Role != VarRole.Temp:
                        written.Add(s.Target);
                        ok &= Var(s.Target).Role != VarRole.Result && s.Target != Program.Result;
                        if ((s.Op == Op.Add && (s.Args[0] == s.Target) != (s.Args[1] == s.Target)) || (s.Op == Op.Sub && s.Args[0] == s.Target && s.Args[1] != s.Target))
                        {
                            accumulations[s.Target] = accumulations.TryGetValue(s.Target, out int c) ? c + 1 : 1;
                        }

                        break;
                }
            });

            if (!ok || loop.Body.Count == 0 || _statements[loop].EntryReads is not { } entryReads)
            {
                return false;
            }

            // An active local buffer's adjoint stays inside one iteration only if every element the iteration reads
            // was written earlier in the same iteration (the write's reverse sweep then takes the adjoint and clears it).
            foreach (int buffer in activeBuffers)
            {
                if (Var(buffer).Storage != Storage.LocalBuffer || Var(buffer).Shape != Shape.Vector || readAfter.Contains(buffer)
                    || !WrittenBeforeRead(loop, buffer, written))
                {
                    return false;
                }
            }

            foreach (int x in written)
            {
                // The reverse sweep of what comes before the loop must not need a value the loop overwrites.
                if (entryReads.Contains(x))
                {
                    return false;
                }

                if (!IsActive(x) || Var(x).Shape != Shape.Scalar)
                {
                    continue;
                }

                int definitionsInLoop = 0;
                Passes.StatementWalker.Walk(loop.Body, s => definitionsInLoop += s.Kind == StmtKind.Assign && s.Target == x ? 1 : 0);
                bool isSum = accumulations.TryGetValue(x, out int sums) && sums == definitionsInLoop && reads.TryGetValue(x, out int r) && r == sums;
                if (isSum)
                {
                    continue;
                }

                // Otherwise: computed afresh in every iteration and not read after the loop.
                if (!FreshInEachIteration(loop, x, readAfter))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Whether a scalar the loop writes is computed afresh in every iteration (first written unconditionally at
        /// the body's level, not read before that, all its definitions in the loop) and not read after the loop.
        /// </summary>
        private bool FreshInEachIteration(IrStatement loop, int x, HashSet<int> readAfter)
        {
            int definitionsInLoop = 0;
            Passes.StatementWalker.Walk(loop.Body, s => definitionsInLoop += s.Kind == StmtKind.Assign && s.Target == x ? 1 : 0);
            if (definitionsInLoop != Variables[x].Definitions || readAfter.Contains(x))
            {
                return false;
            }

            int first = -1;
            for (int i = 0; i < loop.Body.Count && first < 0; i++)
            {
                if (loop.Body[i].Kind == StmtKind.Assign && loop.Body[i].Target == x)
                {
                    first = i;
                }
            }

            if (first < 0 || ReadBefore(loop.Body, first, x) || Contains(loop.Body[first].Args, x))
            {
                return false;
            }

            // Not written in a nested block before that first write.
            bool nestedEarlier = false;
            for (int i = 0; i < first; i++)
            {
                Passes.StatementWalker.Walk(new EquatableArray<IrStatement>(new[] { loop.Body[i] }), s => nestedEarlier |= s.Kind == StmtKind.Assign && s.Target == x);
            }

            return !nestedEarlier;
        }

        /// <summary>
        /// Whether the fused plan's loop restores nothing that a later iteration or the rest of the method reads. An
        /// iteration's reverse sweep runs right after it, so a value it restores (an overwritten value its rules read)
        /// is also what the next iteration starts from: harmless for a scalar computed afresh in every iteration and
        /// for an active local buffer whose reads the iteration writes first (both proven by <see cref="CanFuse"/>),
        /// wrong for anything carried from one iteration to the next (<c>k = k * 0.5</c>, <c>buf[i % 4] = …</c> read
        /// four iterations later): those loops keep the ordinary reverse sweep.
        /// </summary>
        private bool RestoresOnlyIterationValues()
        {
            var loop = Fused!;
            var readAfter = new HashSet<int>();
            for (int k = IndexOf(Program.Body, loop) + 1; k < Program.Body.Count; k++)
            {
                Passes.StatementWalker.Walk(new EquatableArray<IrStatement>(new[] { Program.Body[k] }), s =>
                {
                    foreach (int a in s.Args)
                    {
                        readAfter.Add(a);
                    }
                });
            }

            bool ok = true;
            Passes.StatementWalker.Walk(loop.Body, s =>
            {
                if (!ok || _statements[s].Save == SaveKind.None)
                {
                    return;
                }

                if (s.Kind is StmtKind.Store or StmtKind.StoreAdd)
                {
                    ok = IsActive(s.Args[0]) && Var(s.Args[0]).Storage == Storage.LocalBuffer && !readAfter.Contains(s.Args[0]);
                }
                else if (s.Kind == StmtKind.Assign && Var(s.Target).Role != VarRole.Temp)
                {
                    ok = Var(s.Target).Shape == Shape.Scalar && FreshInEachIteration(loop, s.Target, readAfter);
                }
            });
            return ok;
        }

        /// <summary>Where a statement stands in a block (by reference), or −1.</summary>
        internal static int IndexOf(EquatableArray<IrStatement> block, IrStatement statement)
        {
            for (int i = 0; i < block.Count; i++)
            {
                if (ReferenceEquals(block[i], statement))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// A proof that every element of <paramref name="buffer"/> that an iteration of <paramref name="loop"/> reads
        /// (a load, or the old value under <c>+=</c>) was written earlier in the same iteration. Two patterns are
        /// recognised, both at the top level of the iteration: a counted loop whose body writes <c>buffer[j]</c>
        /// unconditionally at its top level, with <c>j</c> its counter, covers the reads <c>buffer[j2]</c> of a later
        /// counted loop over the same range (same direction, bounds that are provably the same values) with
        /// <c>j2</c> its counter, and the reads <c>buffer[j]</c> after the write in its own body; a write
        /// <c>buffer[c]</c> with a constant index covers later reads at the same constant. Any other read, and any
        /// other use of the buffer than a load, a store or its length, fails the proof.
        /// </summary>
        private bool WrittenBeforeRead(IrStatement loop, int buffer, HashSet<int> writtenInLoop)
        {
            var ranges = new List<IrStatement>();
            var constants = new List<int>();
            foreach (var s in loop.Body)
            {
                if (s.Kind == StmtKind.For)
                {
                    int counter = Variables[s.Target].Definitions == 0 ? s.Target : -1;
                    int store = -1;
                    for (int t = 0; t < s.Body.Count && store < 0 && counter >= 0; t++)
                    {
                        if (s.Body[t] is { Kind: StmtKind.Store } w && w.Args.Count == 3 && w.Args[0] == buffer && w.Args[1] == counter && w.Args[2] != buffer)
                        {
                            store = t;
                        }
                    }

                    bool rangeCovered = counter >= 0 && ranges.Exists(r => r.Constant == s.Constant
                        && SameValue(r.Args[0], s.Args[0], loop.Target, writtenInLoop, 0) && SameValue(r.Args[1], s.Args[1], loop.Target, writtenInLoop, 0));
                    for (int t = 0; t < s.Body.Count; t++)
                    {
                        if (!ReadsCovered(s.Body[t], buffer, rangeCovered || (store >= 0 && t > store) ? counter : -1, constants))
                        {
                            return false;
                        }
                    }

                    if (store >= 0)
                    {
                        ranges.Add(s);
                    }

                    continue;
                }

                if (!ReadsCovered(s, buffer, -1, constants))
                {
                    return false;
                }

                if (s.Kind == StmtKind.Store && s.Args.Count == 3 && s.Args[0] == buffer && IsConstantIndex(s.Args[1]))
                {
                    constants.Add(s.Args[1]);
                }
            }

            return true;
        }

        /// <summary>
        /// Every use of <paramref name="buffer"/> in <paramref name="statement"/> (and the statements it contains) is a
        /// store, a length, or a read of an element known to be written earlier in the iteration: at
        /// <paramref name="counter"/> (when not -1) or at one of the constant <paramref name="constants"/>.
        /// </summary>
        private bool ReadsCovered(IrStatement statement, int buffer, int counter, List<int> constants)
        {
            bool ok = true;
            Passes.StatementWalker.Walk(new EquatableArray<IrStatement>(new[] { statement }), s =>
            {
                if (!Contains(s.Args, buffer))
                {
                    return;
                }

                bool read = (s.Kind == StmtKind.Assign && s.Op == Op.Load) || s.Kind == StmtKind.StoreAdd;
                bool store = s.Kind == StmtKind.Store;
                bool length = s.Kind == StmtKind.Assign && s.Op == Op.Length;
                if (!(read || store || length) || s.Args[0] != buffer || s.Args.Count != (length ? 1 : read && s.Kind == StmtKind.Assign ? 2 : 3))
                {
                    ok = false;
                    return;
                }

                for (int i = 1; i < s.Args.Count; i++)
                {
                    ok &= s.Args[i] != buffer;
                }

                if (read)
                {
                    int index = s.Args[1];
                    ok &= (counter >= 0 && index == counter) || (IsConstantIndex(index) && constants.Exists(c => Variables[c].Definition!.Constant == Variables[index].Definition!.Constant));
                }
            });
            return ok;
        }

        /// <summary>An integer literal index (a temp defined once as a constant).</summary>
        private bool IsConstantIndex(int id) => Var(id) is { Role: VarRole.Temp, Type: ScalarType.Int, Shape: Shape.Scalar }
            && Variables[id] is { Definitions: 1, Definition: { Kind: StmtKind.Assign, Op: Op.Const } };

        /// <summary>
        /// Two variables that provably hold the same value wherever they are read in one iteration of the fused loop:
        /// the same variable the loop does not assign (or its counter), or temps computed the same way (the same
        /// literal, the same length, the same operation on such values).
        /// </summary>
        private bool SameValue(int a, int b, int fusedCounter, HashSet<int> writtenInLoop, int depth)
        {
            if (depth > 6 || Var(a).Shape != Shape.Scalar || Var(b).Shape != Shape.Scalar || Var(a).Type != Var(b).Type)
            {
                return false;
            }

            if (Var(a).Role != VarRole.Temp || Var(b).Role != VarRole.Temp)
            {
                return a == b && !writtenInLoop.Contains(a) && (!Variables[a].IsLoopCounter || a == fusedCounter);
            }

            if (Variables[a] is not { Definitions: 1, Definition: { Kind: StmtKind.Assign } da } || Variables[b] is not { Definitions: 1, Definition: { Kind: StmtKind.Assign } db }
                || da.Op != db.Op || da.Args.Count != db.Args.Count)
            {
                return false;
            }

            switch (da.Op)
            {
                case Op.Const:
                    return da.Constant == db.Constant;
                case Op.Length:
                    return da.Args[0] == db.Args[0] && da.Constant == db.Constant;
                case Op.Copy or Op.Convert or Op.Neg or Op.Add or Op.Sub or Op.Mul:
                    for (int i = 0; i < da.Args.Count; i++)
                    {
                        if (!SameValue(da.Args[i], db.Args[i], fusedCounter, writtenInLoop, depth + 1))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return false;
            }
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

        /// <summary>The first write of a variable at the top level of the fused loop's body (nothing in the iteration reads it before).</summary>
        public bool IsFirstFusedDefinition(IrStatement s)
        {
            if (Fused is null || s.Kind != StmtKind.Assign)
            {
                return false;
            }

            foreach (var t in Fused.Body)
            {
                if (t.Kind == StmtKind.Assign && t.Target == s.Target)
                {
                    return ReferenceEquals(t, s);
                }
            }

            return false;
        }

        /// <summary>
        /// An index that has the same value throughout the reverse sweep of the block it is in: numbers, lengths,
        /// parameters never assigned, loop counters, and integer arithmetic on those (<c>i + 1</c>).
        /// </summary>
        public bool IsInvariantIndex(int id, int depth = 0)
        {
            var v = Var(id);
            var info = Variables[id];
            if (depth > 6 || v.Shape != Shape.Scalar)
            {
                return false;
            }

            if (IsStable(id) || (info.IsLoopCounter && info.Definitions == 0) || (v.Role == VarRole.Parameter && info.Definitions == 0))
            {
                return true;
            }

            if (v.Role != VarRole.Temp || info.Definitions != 1 || info.Definition is not { } def || info.Mode != TempMode.Recompute || !InlineReverse(id)
                || !(def.Op is Op.Add or Op.Sub or Op.Mul or Op.Neg or Op.Copy or Op.Convert or Op.Const))
            {
                return false;
            }

            foreach (int a in def.Args)
            {
                if (!IsInvariantIndex(a, depth + 1))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// A variable of the fused loop computed afresh in each of its iterations: its adjoint lives in one iteration's
        /// reverse sweep.
        /// </summary>
        public bool IsIterationLocal(int id)
        {
            if (Fused is null || Var(id).Role == VarRole.Temp || Var(id).Shape != Shape.Scalar || Variables[id].Definitions == 0)
            {
                return false;
            }

            int inLoop = 0;
            Passes.StatementWalker.Walk(Fused.Body, s => inLoop += s.Kind == StmtKind.Assign && s.Target == id ? 1 : 0);
            return inLoop == Variables[id].Definitions;
        }

        private readonly Dictionary<IrStatement, HashSet<int>> _iterationLocals = new(ReferenceComparer<IrStatement>.Instance);

        /// <summary>
        /// Scalar locals of a counted loop that each iteration computes afresh: every definition is a statement of the
        /// loop's own body, the first statement of the body to touch the variable assigns it without reading it, and
        /// nothing outside the loop reads it. In the reverse sweep their adjoints start at zero in every iteration,
        /// so they are declared inside the loop's reverse body instead of being carried and reset.
        /// </summary>
        public HashSet<int> IterationLocals(IrStatement loop)
        {
            if (_iterationLocals.TryGetValue(loop, out var locals))
            {
                return locals;
            }

            locals = new HashSet<int>();
            var definedHere = new Dictionary<int, int>();
            var touched = new HashSet<int>();
            foreach (var s in loop.Body)
            {
                bool direct = s.Kind == StmtKind.Assign;
                var reads = new HashSet<int>();
                var nestedWrites = new HashSet<int>();
                StatementWalker(new EquatableArray<IrStatement>(new[] { s }), t =>
                {
                    foreach (int a in t.Args)
                    {
                        reads.Add(a);
                    }

                    if (!ReferenceEquals(t, s) && t.Kind is StmtKind.Assign or StmtKind.For or StmtKind.Loop)
                    {
                        nestedWrites.Add(t.Target);
                    }
                });
                foreach (int r in reads)
                {
                    touched.Add(r);
                }

                foreach (int n in nestedWrites)
                {
                    touched.Add(n);
                    definedHere[n] = -1; // written in a nested block: not a local of this loop
                }

                if (direct)
                {
                    if (!touched.Contains(s.Target))
                    {
                        locals.Add(s.Target);
                    }

                    touched.Add(s.Target);
                    if (!definedHere.TryGetValue(s.Target, out int count) || count >= 0)
                    {
                        definedHere[s.Target] = (count < 0 ? 0 : count) + 1;
                    }
                }
            }

            locals.RemoveWhere(id => Var(id).Role != VarRole.Local || Var(id).Shape != Shape.Scalar || !definedHere.TryGetValue(id, out int n)
                || n != Variables[id].Definitions || ReadOutside(loop, id));
            _iterationLocals[loop] = locals;
            return locals;
        }

        /// <summary>Whether <paramref name="s"/> is the first statement of <paramref name="loop"/>'s body that assigns its target.</summary>
        public bool IsFirstDefinitionIn(IrStatement loop, IrStatement s)
        {
            foreach (var t in loop.Body)
            {
                if (t.Kind == StmtKind.Assign && t.Target == s.Target)
                {
                    return ReferenceEquals(t, s);
                }
            }

            return false;
        }

        private bool ReadOutside(IrStatement loop, int id)
        {
            bool read = false;
            void Visit(EquatableArray<IrStatement> block)
            {
                foreach (var s in block)
                {
                    if (ReferenceEquals(s, loop))
                    {
                        continue;
                    }

                    foreach (int a in s.Args)
                    {
                        read |= a == id;
                    }

                    Visit(s.Body);
                    Visit(s.Else);
                }
            }

            Visit(Program.Body);
            return read;
        }

        private static void StatementWalker(EquatableArray<IrStatement> block, System.Action<IrStatement> visit)
            => Passes.StatementWalker.Walk(block, visit);

        /// <summary>Saved temps pushed just before <paramref name="statement"/> (see <see cref="VariableInfo.PushPoint"/>), in push order.</summary>
        public List<int> PushedBefore(IrStatement statement)
        {
            var list = new List<int>();
            for (int id = 0; id < Variables.Length; id++)
            {
                if (ReferenceEquals(Variables[id].PushPoint, statement) && Variables[id] is { Needed: true, Mode: TempMode.Saved })
                {
                    list.Add(id);
                }
            }

            return list;
        }

        /// <summary>
        /// An active call at the top level of the body, on scalar arguments, to a callee with a pullback: the forward
        /// sweep takes its partial derivatives along with its value (see BodyEmitter.EagerCalls).
        /// </summary>
        public bool TakesPartialsEagerly(IrStatement s)
        {
            if (s.Kind != StmtKind.Assign || s.Op != Op.Call || !IsActive(s.Target) || _statements[s].Depth != 0 || _fusedBody.Contains(s)
                || Program.Calls[s.Aux].Backward is null)
            {
                return false;
            }

            foreach (int a in s.Args)
            {
                if (Var(a).Shape != Shape.Scalar)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>True when the temp is written out as part of its consumer's expression in the forward sweep.</summary>
        public bool InlineForward(int id)
        {
            var v = Variables[id];
            var def = v.Definition;
            if (Var(id).Role != VarRole.Temp || def is null)
            {
                return false;
            }

            if (IsStable(id))
            {
                return true;
            }

            if (def.Op == Op.CallTangent)
            {
                return false; // written as a pullback call of its own
            }

            if (TakesPartialsEagerly(def))
            {
                return false; // a statement of its own: the call that also gives the partial derivatives
            }

            if (v.Needed && v.Mode is TempMode.Available or TempMode.Saved or TempMode.SavedAfter)
            {
                return false;
            }

            if (def.Op == Op.Copy && Var(def.Args[0]).Role != VarRole.Temp)
            {
                return false; // a snapshot of a variable that may change before it is used
            }

            return v.Uses == 1;
        }

        /// <summary>True when the reverse sweep writes a recomputed temp's expression in place instead of declaring it.</summary>
        public bool InlineReverse(int id)
        {
            var def = Variables[id].Definition;
            return IsStable(id) || (def is not null && (def.Op is Op.Load || !TypeClassifier.IsReal(Var(id).Type) || IsScaled(def)));
        }

        /// <summary>
        /// A number times a value (<c>100 * t</c>): recomputed where the reverse sweep needs it, as an expression the
        /// adjoint algebra can see into, so the product rule's two terms of <c>100 * t * t</c> merge into <c>200 * t</c>.
        /// </summary>
        public bool IsScaled(IrStatement def)
        {
            if (def.Kind != StmtKind.Assign || def.Op != Op.Mul || Var(def.Target).Role != VarRole.Temp || !TypeClassifier.IsReal(Var(def.Target).Type)
                || Variables[def.Target].Definitions != 1)
            {
                return false;
            }

            bool IsNumber(int a) => Var(a).Role == VarRole.Temp && Variables[a].Definition is { Op: Op.Const, Text: null } c && Variables[a].Definitions == 1
                && c.Constant != 0 && !double.IsNaN(c.Constant) && !double.IsInfinity(c.Constant);
            return IsNumber(def.Args[0]) != IsNumber(def.Args[1]);
        }
    }
}
