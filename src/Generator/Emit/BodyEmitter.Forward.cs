using System.Collections.Generic;
using System.Globalization;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// The forward sweep: the user's computation as written, plus, only where the plan says so, a save of the
    /// value about to be overwritten, and a record of the control flow taken (branch decisions, trip counts) inside loops.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        private int _loopCounters;

        private void Forward(SourceWriter w, EquatableArray<IrStatement> block)
        {
            _forwardNesting++;
            ForwardBlock(w, block);
            _forwardNesting--;
        }

        private void ForwardBlock(SourceWriter w, EquatableArray<IrStatement> block)
        {
            for (int at = 0; at < block.Count; at++)
            {
                var s = block[at];
                _cancellationToken.ThrowIfCancellationRequested();
                var info = _plan[s];
                foreach (int early in _plan.PushedBefore(s))
                {
                    // Defined by an earlier part of this statement, read after a conditional inside it.
                    w.Line(PushLine(_program.Variables[early].Type, Name(early)));
                }

                if ((s.Kind == StmtKind.Assign && _program.Variables[s.Target].Role == VarRole.Temp && _plan.InlineForward(s.Target)) || IsDeadInForward(s))
                {
                    continue;
                }

                if (s.Source != _lastSource && s.Source >= 0)
                {
                    w.Line(Comment(s.Source));
                    _lastSource = s.Source;
                }

                if (at + 1 < block.Count && (TryForwardEagerCallWithTangent(w, s, block[at + 1]) || TryCallWithTangent(w, s, block[at + 1], info)))
                {
                    at++;
                    continue;
                }

                switch (s.Kind)
                {
                    case StmtKind.Assign:
                        ForwardAssign(w, s, info);
                        break;
                    case StmtKind.Store:
                    case StmtKind.StoreAdd:
                        var index = StoreIndex(s);
                        string element = Element(index, _fwd);
                        SaveBefore(w, info, element, _program.Variables[s.Args[0]].Type);
                        string op = s.Kind == StmtKind.Store ? " = " : s.Op == Op.Sub ? " -= " : " += ";
                        w.Line(element + op + Print(Fwd(s.Args[s.Args.Count - 1]), _program.Variables[s.Args[0]].Type, Sym.Precedence.Lowest) + ";");
                        break;
                    case StmtKind.If:
                        ForwardIf(w, s, info);
                        break;
                    case StmtKind.For when ReferenceEquals(s, _plan.Fused):
                        ForwardFused(w, s);
                        break;
                    case StmtKind.For:
                        ForwardFor(w, s, info);
                        break;
                    case StmtKind.Loop:
                        ForwardLoop(w, s, info);
                        break;
                    case StmtKind.Alloc:
                        ForwardAlloc(w, s);
                        break;
                }
            }
        }

        private void ForwardAssign(SourceWriter w, IrStatement s, StatementInfo info)
        {
            if (s.Op == Op.CallTangent)
            {
                // A call's tangent is a temp like any other: saved when the reverse sweep of a tangent program (FHessianVector)
                // reads it after the next iteration has overwritten it.
                var tangent = _program.Variables[s.Target];
                ForwardCallTangent(w, s);
                if (tangent.Role == VarRole.Temp && info.Save == SaveKind.Stack)
                {
                    w.Line(PushLine(tangent.Type, Name(s.Target)));
                }

                return;
            }

            if (s.Op == Op.Call && TryForwardEagerCall(w, s, info))
            {
                return;
            }

            var target = _program.Variables[s.Target];
            string name = Name(s.Target);
            SaveBefore(w, info.Save == SaveKind.Stack && target.Role == VarRole.Temp ? null : info, name, target.Type);
            string value = Print(Expression(s, _fwd), target.Type, Sym.Precedence.Lowest);
            bool declare = target.Role == VarRole.Temp ? !IsHoisted(s.Target) : DeclaredAtDefinition(s.Target) && ReferenceEquals(_plan.Variables[s.Target].Definition, s);
            if (!declare && s.Op is Op.Add or Op.Sub or Op.Mul or Op.Div && s.Args[0] == s.Target && s.Args[1] != s.Target)
            {
                // x = x + t prints as the compound assignment it came from.
                string op = s.Op switch { Op.Add => " += ", Op.Sub => " -= ", Op.Mul => " *= ", _ => " /= " };
                w.Line(name + op + Print(Fwd(s.Args[1]), target.Type, Sym.Precedence.Lowest) + ";");
            }
            else
            {
                w.Line((declare ? MethodEmitter.TypeName(target.Type) + " " : string.Empty) + name + " = " + value + ";");
            }
            if (target.Role == VarRole.Temp && info.Save == SaveKind.Stack)
            {
                // Expensive and overwritten by the next iteration: keep it for the reverse sweep.
                w.Line(PushLine(target.Type, name));
            }

            if (_extremumAt.TryGetValue(s, out var kept))
            {
                string element = Print(Fwd(kept.Extremum.Element), target.Type, Sym.Precedence.Equality + 1);
                w.Line(kept.At + " = " + name + " == " + element + " ? " + Name(kept.Extremum.Counter) + " : " + kept.At + ";");
            }
        }

        /// <summary>
        /// The tangent of a call: the callee's pullback with seed 1 gives its partial derivatives in fresh locals (a
        /// pooled scratch buffer for a span argument), and the tangent is their sum weighted by the arguments'
        /// tangents. (The pullback recomputes the callee's value.)
        /// </summary>
        private void ForwardCallTangent(SourceWriter w, IrStatement s)
        {
            var call = _program.Calls[s.Aux];
            var type = _program.Variables[s.Target].Type;
            int n = s.Args.Count / 2;
            if (call.Tangent is not null && EveryBufferHasATangent(s, call, n))
            {
                ForwardCallThroughTangent(w, s, call, n);
                return;
            }

            string callee = Last(call.Primal);
            var arguments = new List<string>();
            for (int i = 0; i < n; i++)
            {
                arguments.Add(Print(Fwd(s.Args[i]), _program.Variables[s.Args[i]].Type, Sym.Precedence.Lowest));
            }

            arguments.Add(Lit(1, type));
            Sym sum = Sym.N(0);
            var dots = new List<(string Partial, string Tangent, string Length)>();
            var returns = new List<string>();
            for (int i = 0; i < n; i++)
            {
                if (!call.ActiveParameters[i])
                {
                    continue;
                }

                var arg = _program.Variables[s.Args[i]];
                string t = MethodEmitter.TypeName(arg.Type);
                string parameter = call.ParameterName(i);
                string partial = SignatureReader_Unique("d" + Upper(callee) + Upper(parameter));
                var tangent = _program.Variables[s.Args[n + i]];
                if (arg.Shape == Shape.Scalar)
                {
                    w.Line(t + " " + partial + " = " + Lit(0, arg.Type) + ";");
                    arguments.Add("ref " + partial);
                    sum = Sym.Add(sum, Sym.Mul(Sym.V(partial), Fwd(s.Args[n + i])));
                    continue;
                }

                arguments.Add(RentScratch(w, partial, s.Args[i], returns, clear: true));
                if (tangent.Shape != Shape.Scalar)
                {
                    dots.Add((partial, Name(s.Args[n + i]), Length(s.Args[i], 0)));
                }
            }

            w.Line(call.Backward + "(" + string.Join(", ", arguments) + ");");
            bool declare = !IsHoisted(s.Target);
            string target = Name(s.Target);
            w.Line((declare ? MethodEmitter.TypeName(type) + " " : string.Empty) + target + " = " + sum.ToCSharp(type) + ";");
            foreach (var (partial, tangent, length) in dots)
            {
                string k = SignatureReader_Unique("k");
                w.Open("for (int " + k + " = 0; " + k + " < " + length + "; " + k + "++)");
                w.Line(target + " += " + partial + "[" + k + "] * " + tangent + "[" + k + "];");
                w.Close();
            }

            foreach (string line in returns)
            {
                w.Line(line);
            }
        }

        /// <summary>
        /// A call followed by its tangent through the callee's FTangent is one call (in FTangent and in the forward sweep of
        /// FHessianVector): FTangent returns the callee's value as well (<c>double q = QTangent(m, x, mDot, xDot, out double qDot);</c>).
        /// </summary>
        private bool TryCallWithTangent(SourceWriter w, IrStatement call, IrStatement tangent, StatementInfo info)
        {
            if (call.Kind != StmtKind.Assign || call.Op != Op.Call || tangent.Kind != StmtKind.Assign || tangent.Op != Op.CallTangent
                || tangent.Aux != call.Aux || info.Save != SaveKind.None || _plan[tangent].Save != SaveKind.None || _plan.PushedBefore(tangent).Count > 0
                || _program.Variables[call.Target].Role != VarRole.Temp || _program.Calls[call.Aux] is not { Tangent: { } name } callee)
            {
                return false;
            }

            int n = tangent.Args.Count / 2;
            if (n != call.Args.Count || !EveryBufferHasATangent(tangent, callee, n))
            {
                return false;
            }

            for (int i = 0; i < n; i++)
            {
                if (tangent.Args[i] != call.Args[i])
                {
                    return false;
                }
            }

            var arguments = TangentCallArguments(tangent, callee, n);
            var type = _program.Variables[tangent.Target].Type;
            string value = (IsHoisted(call.Target) ? string.Empty : MethodEmitter.TypeName(_program.Variables[call.Target].Type) + " ") + Name(call.Target);
            string result = (IsHoisted(tangent.Target) ? string.Empty : MethodEmitter.TypeName(type) + " ") + Name(tangent.Target);
            w.Line(value + " = " + name + "(" + string.Join(", ", arguments) + ", out " + result + ");");
            return true;
        }

        /// <summary>Whether every buffer argument for an active parameter comes with a tangent buffer (else a zero one would be needed).</summary>
        private bool EveryBufferHasATangent(IrStatement s, IrCall call, int n)
        {
            for (int i = 0; i < n; i++)
            {
                if (call.ActiveParameters[i] && _program.Variables[s.Args[i]].Shape != Shape.Scalar && _program.Variables[s.Args[n + i]].Shape == Shape.Scalar)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The tangent of a call to a callee with its own FTangent: one call along the arguments' tangents, no
        /// scratch buffers and no pullback (which would also run the callee's reverse sweep).
        /// </summary>
        private void ForwardCallThroughTangent(SourceWriter w, IrStatement s, IrCall call, int n)
        {
            var arguments = TangentCallArguments(s, call, n);
            var type = _program.Variables[s.Target].Type;
            bool declare = !IsHoisted(s.Target);
            string target = Name(s.Target);
            w.Line(call.Tangent + "(" + string.Join(", ", arguments) + ", out " + (declare ? MethodEmitter.TypeName(type) + " " : string.Empty) + target + ");");
        }

        /// <summary>The arguments of a callee's FTangent, before its <c>out</c> tangent: the call's own, then the active ones' tangents.</summary>
        private List<string> TangentCallArguments(IrStatement s, IrCall call, int n)
        {
            var arguments = new List<string>();
            for (int i = 0; i < n; i++)
            {
                arguments.Add(Print(Fwd(s.Args[i]), _program.Variables[s.Args[i]].Type, Sym.Precedence.Lowest));
            }

            for (int i = 0; i < n; i++)
            {
                if (call.ActiveParameters[i])
                {
                    var tangent = _program.Variables[s.Args[n + i]];
                    arguments.Add(tangent.Shape == Shape.Scalar ? Print(Fwd(s.Args[n + i]), tangent.Type, Sym.Precedence.Lowest) : Name(s.Args[n + i]));
                }
            }

            return arguments;
        }

        /// <summary>Keeps the value about to be overwritten, in its own local or on the stack.</summary>
        private void SaveBefore(SourceWriter w, StatementInfo? info, string what, ScalarType type)
        {
            if (info is null || info.Save == SaveKind.None)
            {
                return;
            }

            if (info.Save == SaveKind.Stack)
            {
                w.Line(PushLine(type, what));
                return;
            }

            info.Slot ??= SignatureReader_Unique("saved" + Upper(Identifier(what)));
            _slots.Add(MethodEmitter.TypeName(type) + " " + info.Slot + " = " + Lit(0, type) + ";");
            w.Line(info.Slot + " = " + what + ";");
        }

        private string SignatureReader_Unique(string name) => FrontEnd.SignatureReader.Unique(name, _taken, _nextSuffix);

        private static string Identifier(string text)
        {
            var builder = new System.Text.StringBuilder();
            foreach (char c in text)
            {
                if (char.IsLetterOrDigit(c))
                {
                    builder.Append(c);
                }
                else if (c == '[')
                {
                    break;
                }
            }

            return builder.ToString();
        }

        private void ForwardIf(SourceWriter w, IrStatement s, StatementInfo info)
        {
            w.Open("if (" + Print(Fwd(s.Args[0]), ScalarType.Bool, Sym.Precedence.Lowest) + ")");
            int saved = _lastSource;
            Forward(w, s.Body);
            w.Close();
            if (s.Else.Count > 0)
            {
                w.Open("else");
                _lastSource = saved;
                Forward(w, s.Else);
                w.Close();
            }

            if (info.HasReverseWork && _plan.Variables[s.Args[0]].Mode == TempMode.SavedAfter)
            {
                // Which branch ran, for the reverse sweep.
                w.Line(PushLine(ScalarType.Bool, Name(s.Args[0])));
            }

            _lastSource = -1;
        }

        private void ForwardFor(SourceWriter w, IrStatement s, StatementInfo info)
        {
            string i = Name(s.Target);
            string lo = Print(Fwd(s.Args[0]), ScalarType.Int, Sym.Precedence.Additive + 1);
            string hi = Print(Fwd(s.Args[1]), ScalarType.Int, Sym.Precedence.Additive);
            string trips = lo == "0" ? hi : "(" + hi + " - " + lo + ")";

            // Rule 15: a top-level ascending loop the method always reaches, whose count is known on entry.
            bool onEntry = _forwardNesting == 1 && info.LoopDepth == 0 && s.Constant == 0 && ReadsOnlyEntryValues(trips);
            var ensure = new System.Collections.Generic.List<(ScalarType Type, string Count)>();
            if (info.HasReverseWork && info.LoopDepth == 0 && s.Constant == 0 && PushesPerIteration(s.Body) is { } pushes)
            {
                // The trip count is known here: size the stacks once instead of growing them inside the loop.
                foreach (var pair in pushes)
                {
                    string count = pair.Value == 1 ? trips : pair.Value.ToString(CultureInfo.InvariantCulture) + " * " + trips;
                    Stack(pair.Key);
                    if (onEntry)
                    {
                        AddEntryCapacity(pair.Key, count);
                    }
                    else
                    {
                        ensure.Add((pair.Key, count));
                    }
                }
            }

            if (_withReverse)
            {
                foreach (var extremum in _plan.RunningExtrema(s))
                {
                    string at = SignatureReader_Unique(Name(extremum.Accumulator) + "At");
                    _extremumAt[extremum.Statement] = (extremum, at);
                    w.Line("int " + at + " = -1; // where " + Name(extremum.Accumulator) + " was last attained: all its reverse sweep needs");
                }
            }

            string condition = s.Constant == 0 ? " < " : s.Constant == -1 ? " >= " : " > ";
            string step = s.Constant == 0 ? "++" : "--";
            string header = "for (int " + i + " = " + Print(Fwd(s.Args[0]), ScalarType.Int, Sym.Precedence.Lowest) + "; " + i + condition + Print(Fwd(s.Args[1]), ScalarType.Int, Sym.Precedence.Relational + 1) + "; " + i + step + ")";
            var body = new SourceWriter();
            var slots = BeginSlots(s, onEntry);
            Forward(body, s.Body);
            var reservations = new SourceWriter { Indent = w.Indent };
            string bodyText = EndSlots(slots, reservations, i, lo, trips, body.ToString());
            if (reservations.IsEmpty)
            {
                // The stacks grow as the loop pushes; sized here once (rule 15 sizes them on entry when it can).
                foreach (var (type, count) in ensure)
                {
                    w.Line(StackName(type) + ".EnsureCapacity(" + count + ");");
                }
            }

            w.Raw(reservations.ToString());
            w.Open(header);
            w.Append(bodyText);
            w.Close();
            if (info.HasReverseWork)
            {
                // The bounds, for running the loop backwards (only when they cannot be recomputed).
                foreach (int bound in new[] { s.Args[0], s.Args[1] })
                {
                    if (_plan.Variables[bound].Mode == TempMode.SavedAfter)
                    {
                        w.Line(PushLine(ScalarType.Int, Name(bound)));
                    }
                }
            }

            _lastSource = -1;
        }

        /// <summary>The fused loop: each iteration, then that iteration's reverse sweep (see <see cref="ReversePlan.Fused"/>).</summary>
        private void ForwardFused(SourceWriter w, IrStatement s)
        {
            string i = Name(s.Target);
            string condition = s.Constant == 0 ? " < " : s.Constant == -1 ? " >= " : " > ";
            string step = s.Constant == 0 ? "++" : "--";
            w.Open("for (int " + i + " = " + Print(Fwd(s.Args[0]), ScalarType.Int, Sym.Precedence.Lowest) + "; " + i + condition + Print(Fwd(s.Args[1]), ScalarType.Int, Sym.Precedence.Relational + 1) + "; " + i + step + ")");
            Forward(w, s.Body);
            var reverse = new SourceWriter();
            _reverseDepth = 1;
            _inFused = true;
            ReverseFusedBody(reverse, s.Body);
            _inFused = false;
            _reverseDepth = 0;
            if (!reverse.IsEmpty)
            {
                w.Line("// Reverse sweep of this iteration.");
                w.Append(reverse);
            }

            w.Close();
            WriteCarries(w, s);
            _lastSource = -1;
        }

        /// <summary>How many values of each type one iteration pushes at most, or null when a nested loop makes it unknown.</summary>
        private System.Collections.Generic.SortedDictionary<ScalarType, int>? PushesPerIteration(EquatableArray<IrStatement> body)
        {
            var counts = new System.Collections.Generic.SortedDictionary<ScalarType, int>();
            void Add(System.Collections.Generic.SortedDictionary<ScalarType, int> into, ScalarType type, int n)
                => into[type] = (into.TryGetValue(type, out int c) ? c : 0) + n;
            foreach (var st in body)
            {
                var info = _plan[st];
                foreach (int early in _plan.PushedBefore(st))
                {
                    Add(counts, _program.Variables[early].Type, 1);
                }

                switch (st.Kind)
                {
                    case StmtKind.For:
                    case StmtKind.Loop:
                        if (info.HasReverseWork)
                        {
                            return null;
                        }

                        break;
                    case StmtKind.Assign when info.Save == SaveKind.Stack:
                        Add(counts, _program.Variables[st.Target].Type, 1);
                        break;
                    case StmtKind.Store or StmtKind.StoreAdd when info.Save == SaveKind.Stack:
                        Add(counts, _program.Variables[st.Args[0]].Type, 1);
                        break;
                    case StmtKind.If when info.HasReverseWork:
                        var a = PushesPerIteration(st.Body);
                        var b = PushesPerIteration(st.Else);
                        if (a is null || b is null)
                        {
                            return null;
                        }

                        foreach (var type in new[] { ScalarType.Double, ScalarType.Float, ScalarType.Int, ScalarType.Bool })
                        {
                            int n = System.Math.Max(a.TryGetValue(type, out int x) ? x : 0, b.TryGetValue(type, out int y) ? y : 0);
                            if (n > 0)
                            {
                                Add(counts, type, n);
                            }
                        }

                        if (_plan.Variables[st.Args[0]].Mode == TempMode.SavedAfter)
                        {
                            Add(counts, ScalarType.Bool, 1);
                        }

                        break;
                }
            }

            return counts;
        }

        private void ForwardLoop(SourceWriter w, IrStatement s, StatementInfo info)
        {
            string? count = null;
            string? exited = null;
            if (info.HasReverseWork)
            {
                count = SignatureReader_Unique("iterations" + (++_loopCounters).ToString(CultureInfo.InvariantCulture));
                _loopNames[s] = count;
                bool hoist = info.LoopDepth == 0;
                if (hoist)
                {
                    _slots.Add("int " + count + " = 0;");
                }

                w.Line((hoist ? string.Empty : "int ") + count + " = 0;");
                if (s.Args.Count > 1 && info.PreHasWork)
                {
                    exited = count + "Exited";
                    if (hoist)
                    {
                        _slots.Add("bool " + exited + " = false;");
                    }

                    w.Line((hoist ? string.Empty : "bool ") + exited + " = false;");
                }
            }

            var pre = new SourceWriter();
            int header = _lastSource;
            Forward(pre, s.Body);
            string condition = Print(Fwd(s.Args[0]), ScalarType.Bool, Sym.Precedence.Unary);
            if (pre.IsEmpty)
            {
                w.Open("while (" + Print(Fwd(s.Args[0]), ScalarType.Bool, Sym.Precedence.Lowest) + ")");
            }
            else
            {
                w.Open("while (true)");
                w.Append(pre);
                if (condition != "true")
                {
                    w.Open("if (!" + condition + ")");
                    w.Line("break;");
                    w.Close();
                }
            }

            _lastSource = header;
            Forward(w, s.Else);
            if (count is not null)
            {
                w.Line(count + "++;");
            }

            if (s.Args.Count > 1)
            {
                w.Open("if (" + Name(s.Args[1]) + ")");
                if (exited is not null)
                {
                    w.Line(exited + " = true;");
                }

                w.Line("break;");
                w.Close();
            }

            w.Close();
            if (count is not null && info.LoopDepth > 0)
            {
                // The trip count (and how the loop ended), for the reverse sweep of the enclosing loop.
                w.Line(PushLine(ScalarType.Int, count));
                if (exited is not null)
                {
                    w.Line(PushLine(ScalarType.Bool, exited));
                }
            }

            _lastSource = -1;
        }

        private readonly System.Collections.Generic.Dictionary<IrStatement, string> _loopNames = new(ReferenceComparer<IrStatement>.Instance);

        /// <summary>
        /// A local buffer. Small constant sizes live on the stack; others are rented from the shared pool and
        /// returned at the end, so a call allocates nothing in steady state. The adjoint buffer mirrors it.
        /// </summary>
        private void ForwardAlloc(SourceWriter w, IrStatement s)
        {
            var v = _program.Variables[s.Target];
            string t = MethodEmitter.TypeName(v.Type);
            string name = Name(s.Target);
            string size;
            long constant = 1;
            bool isConstant = true;
            foreach (int d in s.Args)
            {
                var def = _plan.Variables[d].Definition;
                if (def is { Op: Op.Const })
                {
                    constant *= (long)def.Constant;
                }
                else
                {
                    isConstant = false;
                }
            }

            if (v.Shape == Shape.Matrix)
            {
                w.Line("int " + name + "Rows = " + Print(Fwd(s.Args[0]), ScalarType.Int, Sym.Precedence.Lowest) + ";");
                w.Line("int " + name + "Columns = " + Print(Fwd(s.Args[1]), ScalarType.Int, Sym.Precedence.Lowest) + ";");
                size = name + "Rows * " + name + "Columns";
            }
            else
            {
                size = Print(Fwd(s.Args[0]), ScalarType.Int, Sym.Precedence.Lowest);
            }

            Buffer(w, t, name, size, isConstant && constant <= 256 ? constant : -1);
            if (v.Active)
            {
                Buffer(w, t, Adjoint(s.Target), size, isConstant && constant <= 256 ? constant : -1);
            }
        }

        private void Buffer(SourceWriter w, string type, string name, string size, long stackSize)
        {
            if (stackSize >= 0)
            {
                w.Line("Span<" + type + "> " + name + " = stackalloc " + type + "[" + (size.IndexOf(' ') >= 0 ? size : stackSize.ToString(CultureInfo.InvariantCulture)) + "];");
                return;
            }

            string rented = name + "Rented";
            if (size.IndexOf(' ') >= 0)
            {
                string length = name + "Length";
                w.Line("int " + length + " = " + size + ";");
                size = length;
            }

            w.Line(type + "[] " + rented + " = ArrayPool<" + type + ">.Shared.Rent(" + size + ");");
            w.Line("Span<" + type + "> " + name + " = " + rented + ".AsSpan(0, " + size + ");");
            w.Line(name + ".Clear();");
            _rented.Add("ArrayPool<" + type + ">.Shared.Return(" + rented + ");");
        }
    }
}
