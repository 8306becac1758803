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
    }

    /// <summary>
    /// Decides, at compile time, what the reverse sweep needs and how it gets it: which values are read again,
    /// which are recomputed, and which overwritten values must be saved (in a local outside loops, on a typed
    /// stack inside them). It saves the minimum: a value is saved only where it is overwritten after the first
    /// place the reverse sweep reads it. The rules are described in docs/reverse-sweep.md.
    /// </summary>
    internal sealed class ReversePlan
    {
        private readonly Dictionary<IrStatement, StatementInfo> _statements = new(ReferenceComparer<IrStatement>.Instance);

        public ReversePlan(IrProgram program)
        {
            Program = program;
            Variables = new VariableInfo[program.Variables.Count];
            for (int i = 0; i < Variables.Length; i++)
            {
                Variables[i] = new VariableInfo();
            }

            for (int top = 0; top < program.Body.Count; top++)
            {
                Number(program.Body[top], top, 0, 0);
            }

            FindCrossGroupTemps(program.Body);
            Passes.StatementWalker.Walk(program.Body, s =>
            {
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

        public VariableInfo[] Variables { get; }

        public StatementInfo this[IrStatement statement] => _statements[statement];

        public IrVariable Var(int id) => Program.Variables[id];

        public bool IsActive(int id) => id >= 0 && Program.Variables[id].Active;

        private void Number(IrStatement s, int top, int loopDepth, int depth)
        {
            _statements[s] = new StatementInfo { Top = top, LoopDepth = loopDepth, Depth = depth };
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

            bool loop = s.Kind is StmtKind.For or StmtKind.Loop;
            foreach (var child in s.Body)
            {
                Number(child, top, loopDepth + (loop ? 1 : 0), depth + 1);
            }

            foreach (var child in s.Else)
            {
                Number(child, top, loopDepth + (loop ? 1 : 0), depth + 1);
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
                        foreach (int a in DerivativeRules.OperandsRead(this, s))
                        {
                            changed |= Need(a, info.Top);
                        }

                        if (DerivativeRules.ReadsResult(s))
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
                    else if (!v.DefinedInLoop)
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
            var before = new Dictionary<IrStatement, SaveKind>(ReferenceComparer<IrStatement>.Instance);
            foreach (var pair in _statements)
            {
                before[pair.Key] = pair.Value.Save;
                pair.Value.Save = SaveKind.None;
            }

            Flow(Program.Body, new HashSet<int>());
            bool changed = false;
            foreach (var pair in _statements)
            {
                changed |= before[pair.Key] != pair.Value.Save;
            }

            return changed;
        }

        private HashSet<int> Flow(EquatableArray<IrStatement> block, HashSet<int> state)
        {
            foreach (var s in block)
            {
                var info = _statements[s];
                switch (s.Kind)
                {
                    case StmtKind.Assign:
                        var target = Var(s.Target);
                        bool readsResult = IsActive(s.Target) && DerivativeRules.ReadsResult(s);
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
                        var whenTrue = Flow(s.Body, new HashSet<int>(state));
                        var whenFalse = Flow(s.Else, new HashSet<int>(state));
                        state = whenTrue;
                        state.UnionWith(whenFalse);
                        break;
                    case StmtKind.For:
                    case StmtKind.Loop:
                        var entry = new HashSet<int>(state);
                        while (true)
                        {
                            var afterPre = s.Kind == StmtKind.Loop ? Flow(s.Body, new HashSet<int>(entry)) : new HashSet<int>(entry);
                            var afterBody = Flow(s.Kind == StmtKind.Loop ? s.Else : s.Body, new HashSet<int>(afterPre));
                            var next = new HashSet<int>(entry);
                            next.UnionWith(afterBody);
                            if (next.SetEquals(entry))
                            {
                                state = afterPre;
                                state.UnionWith(afterBody);
                                break;
                            }

                            entry = next;
                        }

                        break;
                }
            }

            return state;
        }

        /// <summary>The variables a statement's reverse-sweep code reads (rule operands, indices, recomputation inputs).</summary>
        private IEnumerable<int> ReverseReads(IrStatement s)
        {
            switch (s.Kind)
            {
                case StmtKind.Assign:
                    if (IsActive(s.Target))
                    {
                        foreach (int a in DerivativeRules.OperandsRead(this, s))
                        {
                            yield return a;
                        }
                    }

                    // A temp recomputed in the reverse sweep reads all its operands there. A length reads no
                    // element, so writes into the buffer do not have to be undone for it.
                    if (Var(s.Target).Role == VarRole.Temp && Variables[s.Target] is { Needed: true, Mode: TempMode.Recompute } && s.Op != Op.Length)
                    {
                        foreach (int a in s.Args)
                        {
                            yield return a;
                        }
                    }

                    break;
                case StmtKind.Store or StmtKind.StoreAdd when IsActive(s.Args[0]) || _statements[s].Save != SaveKind.None:
                    for (int i = 1; i < s.Args.Count - 1; i++)
                    {
                        yield return s.Args[i];
                    }

                    break;
            }
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

            if (work && !info.HasReverseWork)
            {
                info.HasReverseWork = true;
                changed = true;
            }

            return changed;
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
            return IsStable(id) || (def is not null && (def.Op is Op.Load || !TypeClassifier.IsReal(Var(id).Type)));
        }
    }
}
