using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using DiffGen.Generator.FrontEnd;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// Writes the two methods of one differentiable method. The Backward body is a forward sweep (the user's
    /// computation, keeping what the reverse sweep needs) followed by the reverse sweep (the chain rule, statement by
    /// statement, in reverse order). Names, declarations and the method shells are here; the sweeps are in the
    /// Forward and Reverse partial files.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        private readonly MethodModel _model;
        private readonly IrProgram _program;
        private readonly ReversePlan _plan;
        private readonly CancellationToken _cancellationToken;
        private readonly HashSet<string> _taken = new();

        /// <summary>Where the search for a free name stopped, per stem (SignatureReader.Unique).</summary>
        private readonly Dictionary<string, int> _nextSuffix = new();
        private readonly Dictionary<int, string> _names;
        private readonly Dictionary<int, string> _adjoints;
        private Dictionary<int, string>? _adjointStems;
        private readonly System.Func<int, Sym> _fwd;
        private readonly System.Func<int, Sym> _rev;
        private readonly string _seed;
        private readonly ScalarType _real;
        private readonly List<string> _rented = new();
        private readonly HashSet<ScalarType> _stacks = new();

        private readonly EmitOptions _options;

        /// <summary>Whether the body being written has a reverse sweep (FTangent's has not).</summary>
        private bool _withReverse;

        /// <summary>The index local of each running extremum (<see cref="ReversePlan.RunningExtrema"/>) in this body.</summary>
        private readonly Dictionary<IrStatement, (RunningExtremum Extremum, string At)> _extremumAt = new(ReferenceComparer<IrStatement>.Instance);

        /// <summary>
        /// True for the body of <c>FGradient</c>: the seed is 1 and folded into the code, and the adjoints of scalar
        /// parameters are <c>out</c> parameters, assigned by their first contribution where it runs unconditionally.
        /// </summary>
        private readonly bool _gradient;
        private readonly HashSet<int> _outAssigned = new();
        private bool _seedUsed;

        public BodyEmitter(MethodModel model, EmitOptions options, CancellationToken cancellationToken, bool gradient = false)
            : this(model, options, cancellationToken, gradient, ReversePlan.Create(model.Program!))
        {
        }

        /// <summary>With the plan of another emitter of the same program: the Gradient and Backward bodies share one plan (the emitter only reads it).</summary>
        private BodyEmitter(MethodModel model, EmitOptions options, CancellationToken cancellationToken, bool gradient, ReversePlan plan)
        {
            _gradient = gradient;
            _model = model;
            _options = options;
            _program = model.Program!;
            _plan = plan;
            _cancellationToken = cancellationToken;
            _names = new Dictionary<int, string>(_program.Variables.Count); // sized once: growing them showed in profiles of emission
            _fwd = Fwd; // one delegate each, not one per rule applied
            _rev = Rev;
            _adjoints = new Dictionary<int, string>(_program.Variables.Count);
            _real = model.ReturnType;
            foreach (var v in _program.Variables)
            {
                if (v.Role != VarRole.Temp)
                {
                    _taken.Add(v.Name);
                }
            }

            foreach (var p in model.Parameters)
            {
                if (p.AdjointName is not null)
                {
                    _taken.Add(p.AdjointName);
                }
            }

            _seed = SignatureReader.Unique("seed", _taken, _nextSuffix);
            for (int i = 0; i < _program.Variables.Count; i++)
            {
                var v = _program.Variables[i];
                if (v.Role == VarRole.Parameter && model.Parameters[v.ParameterIndex].AdjointName is { } adjoint)
                {
                    _adjoints[i] = adjoint;
                }
            }
        }

        private string T => MethodEmitter.TypeName(_real);

        private string Lit(double value, ScalarType type) => Sym.Literal(value, type);

        public void WriteMethods(SourceWriter w)
        {
            var parameters = new List<string>(MethodEmitter.Parameters(_model));
            var arguments = new List<string>();
            foreach (var p in _model.Parameters)
            {
                arguments.Add(p.Name);
            }

            var active = new List<ParameterModel>();
            foreach (var p in _model.Parameters)
            {
                if (p.Active)
                {
                    active.Add(p);
                }
            }

            string name = _model.Name;
            string cref = "<see cref=\"" + name + "(" + CrefTypes() + ")\"/>";

            // Gradient: fresh adjoints.
            w.Line("/// <summary>");
            w.Line("/// Computes " + cref + " and its gradient with respect to " + Describe(active) + ".");
            w.Line("/// Every adjoint is overwritten. Generated by DiffGen from the reverse-mode derivative of the method.");
            w.Line("/// </summary>");
            if (_options.FormulaComments)
            {
                Formulas.Write(w, _model);
            }

            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"DiffGen\", \"" + MethodEmitter.Version + "\")]");
            WriteInliningHint(w);
            var gradientParameters = new List<string>(parameters);
            foreach (var p in active)
            {
                gradientParameters.Add((p.Shape == Shape.Scalar ? "out " : string.Empty) + MethodEmitter.AdjointType(p) + " " + p.AdjointName);
            }

            w.Open(_model.Accessibility + " static " + T + " " + name + "Gradient(" + string.Join(", ", gradientParameters) + ")");

            // Its own body: the Backward code with the seed 1 folded in (2.0 * err rather than 2.0 * seed * err),
            // written first so the adjoint arrays it stores whole are not cleared ahead of it; the checks and clears
            // go in front of it afterwards (into the writer's builder: the body is not copied again).
            int bodyAt = w.Length;
            var gradientEmitter = new BodyEmitter(_model, _options, _cancellationToken, gradient: true, _plan);
            gradientEmitter.WriteBody(w);
            var storedWhole = new HashSet<string>(gradientEmitter.AdjointsStoredWhole());
            var checks = new SourceWriter { Indent = w.Indent };
            foreach (var p in active)
            {
                if (p.Shape != Shape.Scalar)
                {
                    WriteShapeCheck(checks, p);
                    if (!storedWhole.Contains(p.AdjointName!))
                    {
                        checks.Line(p.Shape == Shape.Matrix ? "Array.Clear(" + p.AdjointName + ", 0, " + p.AdjointName + ".Length);" : p.AdjointName + ".Clear();");
                    }
                }
            }

            w.Insert(bodyAt, checks.ToString());
            w.Close();
            w.Line();

            // Backward: the pullback.
            w.Line("/// <summary>");
            w.Line("/// The pullback of " + cref + ": returns its value and adds <paramref name=\"" + _seed + "\"/> times its gradient");
            w.Line("/// into the adjoints (they accumulate, so a minibatch can be summed into one buffer).");
            w.Line("/// </summary>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"DiffGen\", \"" + MethodEmitter.Version + "\")]");
            WriteInliningHint(w);
            var backwardParameters = new List<string>(parameters) { T + " " + _seed };
            foreach (var p in active)
            {
                backwardParameters.Add((p.Shape == Shape.Scalar ? "ref " : string.Empty) + MethodEmitter.AdjointType(p) + " " + p.AdjointName);
            }

            w.Open(_model.Accessibility + " static " + T + " " + name + "Backward(" + string.Join(", ", backwardParameters) + ")");
            foreach (var p in active)
            {
                if (p.Shape != Shape.Scalar)
                {
                    WriteShapeCheck(w, p);
                }
            }

            WriteBody(w);
            w.Close();
        }

        /// <summary>The method's own name, qualified only if a parameter of the same name would hide it.</summary>
        internal string Callable(string method) => _model.Callable(method);

        private string CrefTypes()
        {
            var types = new List<string>();
            foreach (var p in _model.Parameters)
            {
                types.Add(p.TypeDisplay.Replace("global::", string.Empty).Replace('<', '{').Replace('>', '}'));
            }

            return string.Join(", ", types);
        }

        private static string Describe(List<ParameterModel> active)
        {
            if (active.Count == 0)
            {
                return "no parameter (all are [NoDiff] or not real-valued)";
            }

            var names = new List<string>();
            foreach (var p in active)
            {
                names.Add("<paramref name=\"" + p.Name + "\"/>");
            }

            return string.Join(", ", names);
        }

        private static void WriteShapeCheck(SourceWriter w, ParameterModel p)
        {
            if (p.Shape == Shape.Matrix)
            {
                w.Open("if (" + p.AdjointName + ".GetLength(0) != " + p.Name + ".GetLength(0) || " + p.AdjointName + ".GetLength(1) != " + p.Name + ".GetLength(1))");
                w.Line("throw new ArgumentException(\"The adjoint '" + p.AdjointName + "' must have the same dimensions as '" + p.Name + "'.\", \"" + p.AdjointName + "\");");
                w.Close();
                return;
            }

            w.Open("if (" + p.AdjointName + ".Length != " + p.Name + ".Length)");
            w.Line("throw new ArgumentException(\"The adjoint '" + p.AdjointName + "' must have the same length as '" + p.Name + "'.\", \"" + p.AdjointName + "\");");
            w.Close();
        }

        internal void WriteBody(SourceWriter w, bool withReverse = true, int returnVariable = -1, System.Action<SourceWriter>? beforeReturn = null, bool returnsValue = true,
            System.Action<SourceWriter>? afterForward = null, System.Action<SourceWriter>? afterReverse = null)
        {
            var forward = new SourceWriter();
            var reverse = new SourceWriter();
            var fused = new SourceWriter();
            _lastSource = -1;
            _eager.Clear();
            _deadInForward = null;
            _extremumAt.Clear();
            _entryCapacity.Clear();
            ResetSlots();
            _withReverse = withReverse;
            if (withReverse)
            {
                PlanWholeStore();
                PlanForwardLiveness(returnVariable);
                PlanEagerCalls(_plan.Fused is { } fusedLoop ? Slice(_program.Body, 0, IndexOf(_program.Body, fusedLoop)) : _program.Body);
            }

            if (withReverse && _plan.Fused is { } loop)
            {
                // Everything up to the fused loop; then the reverse sweep of what follows it (it reads only values fixed
                // before the loop), which gives the loop's sums their adjoints; the loop, each iteration followed by its
                // own reverse sweep; the rest of the method; and the reverse sweep of what came before the loop.
                int k = IndexOf(_program.Body, loop);
                var before = Slice(_program.Body, 0, k + 1);
                var after = Slice(_program.Body, k + 1, _program.Body.Count);
                Forward(forward, Slice(_program.Body, 0, k));
                Reverse(fused, after);
                _lastSource = -1;
                Forward(fused, new EquatableArray<IrStatement>(new[] { loop }));
                Forward(fused, after);
                _lastSource = -1;
                Reverse(reverse, before);
            }
            else
            {
                Forward(forward, _program.Body);
                _lastSource = -1;
                if (withReverse)
                {
                    Reverse(reverse, _program.Body);
                }
            }

            // Declarations the sweeps share: values assigned in branches or loops and read after them.
            var declarations = new SourceWriter();
            if (_gradient)
            {
                if (_seedUsed)
                {
                    declarations.Line(T + " " + _seed + " = " + Lit(1, _real) + ";");
                }

                // Adjoints of scalar parameters nothing contributed to are zero.
                for (int id = 0; id < _program.Variables.Count; id++)
                {
                    if (_adjoints.ContainsKey(id) && _program.Variables[id] is { Role: VarRole.Parameter, Shape: Shape.Scalar } && !_outAssigned.Contains(id)
                        && _model.Parameters[_program.Variables[id].ParameterIndex].Active)
                    {
                        _outAssigned.Add(id);
                        _adjointDeclarations.Add(_adjoints[id] + " = " + Lit(0, _program.Variables[id].Type) + ";");
                    }
                }
            }

            foreach (var type in new[] { ScalarType.Double, ScalarType.Float, ScalarType.Int, ScalarType.Bool })
            {
                if (_stacks.Contains(type))
                {
                    string t = MethodEmitter.TypeName(type);
                    declarations.Line("var " + StackName(type) + " = new global::DiffGen.Generated.ValueStack<" + t + ">(stackalloc " + t + "[64]);");
                    if (_entryCapacity.TryGetValue(type, out var counts))
                    {
                        declarations.Line(StackName(type) + ".EnsureCapacity(" + string.Join(" + ", counts) + "); // what the loops below push, sized once here");
                    }

                    foreach (var line in EntryReservations(type))
                    {
                        declarations.Line(line);
                    }
                }
            }

            for (int id = 0; id < _program.Variables.Count; id++)
            {
                if (IsHoisted(id))
                {
                    var v = _program.Variables[id];
                    declarations.Line(MethodEmitter.TypeName(v.Type) + " " + Name(id) + " = " + Lit(0, v.Type) + ";");
                }
            }

            foreach (var slot in _slots)
            {
                declarations.Line(slot);
            }

            if (!declarations.IsEmpty)
            {
                w.Append(declarations);
                w.Line();
            }

            if (!withReverse)
            {
                w.Line("// The method with the tangent of each active value computed beside it.");
                w.Append(PlaceReservations(forward.ToString()));
            }
            else if (_plan.Fused is not null)
            {
                w.Line("// Forward sweep: the method itself, keeping what the reverse sweep reads.");
                w.Append(PlaceReservations(forward.ToString()));
                w.Line("// The loop below needs nothing saved: each iteration runs its reverse sweep (the chain rule, last");
                w.Line("// statement first) right after itself. The adjoints it adds into, and those of the statements after it");
                w.Line("// (their reverse sweep reads no value the loop computes, so it runs first):");
                foreach (var line in _adjointDeclarations)
                {
                    w.Line(line);
                }

                w.Append(AdjointResets.Fold(PlaceReservations(fused.ToString()), new HashSet<string>(_adjoints.Values)));
                if (!reverse.IsEmpty)
                {
                    w.Line();
                    w.Line("// Reverse sweep of the statements before the loop, last to first.");
                    w.Append(AdjointResets.Fold(reverse.ToString(), new HashSet<string>(_adjoints.Values)));
                }
            }
            else
            {
                w.Line("// Forward sweep: the method itself, keeping what the reverse sweep reads.");
                w.Append(PlaceReservations(forward.ToString()));
                afterForward?.Invoke(w);
                w.Line();
                w.Line("// Reverse sweep: the chain rule, statement by statement, last to first.");
                foreach (var line in _adjointDeclarations)
                {
                    w.Line(line);
                }

                w.Append(AdjointResets.Fold(reverse.ToString(), new HashSet<string>(_adjoints.Values)));
                afterReverse?.Invoke(w);
            }

            foreach (var type in new[] { ScalarType.Double, ScalarType.Float, ScalarType.Int, ScalarType.Bool })
            {
                if (_stacks.Contains(type))
                {
                    w.Line(StackName(type) + ".Dispose();");
                }
            }

            foreach (var rented in _rented)
            {
                w.Line(rented);
            }

            beforeReturn?.Invoke(w);
            if (returnsValue)
            {
                int returned = returnVariable >= 0 ? returnVariable : _program.Result;
                // A method whose loop never ends never assigns its result: the return is unreachable but must compile.
                w.Line("return " + (_plan.Variables[returned].Definition is null ? "default" : Name(returned)) + ";");
            }
        }

        private static int IndexOf(EquatableArray<IrStatement> block, IrStatement statement) => ReversePlan.IndexOf(block, statement);

        private static EquatableArray<IrStatement> Slice(EquatableArray<IrStatement> block, int from, int to)
        {
            var items = new IrStatement[to - from];
            for (int i = from; i < to; i++)
            {
                items[i - from] = block[i];
            }

            return new EquatableArray<IrStatement>(items);
        }

        /// <summary>
        /// Asks the JIT to inline the derivative of a small straight-line method (a loss per data point, a pricing
        /// formula), as a careful person would mark such a helper: the primal is small enough to be inlined by default,
        /// and the out/ref adjoints of a call that is not inlined cost more than its arithmetic. Methods with loops,
        /// branches, calls or buffers keep the JIT's own judgement.
        /// </summary>
        private void WriteInliningHint(SourceWriter w)
        {
            if (IsSmallStraightLine(_program.Body))
            {
                w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
            }
        }

        private static bool IsSmallStraightLine(EquatableArray<IrStatement> body)
        {
            const int MaxStatements = 24;
            if (body.Count > MaxStatements)
            {
                return false;
            }

            foreach (var s in body)
            {
                if (s.Kind != StmtKind.Assign || s.Op is Op.Call or Op.CallTangent)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>FTangent: the value and the directional derivative ∇f·v, by forward mode.</summary>
        public void WriteTangent(SourceWriter w, string name, string parameterList, string cref, int primalResult, int tangentResult, string tangentName)
        {
            w.Line("/// <summary>");
            w.Line("/// Computes " + cref + " and its directional derivative (forward mode): <paramref name=\"" + tangentName + "\"/> is");
            w.Line("/// the gradient times the direction given by the <c>…Dot</c> arguments (one per differentiable parameter).");
            w.Line("/// </summary>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"DiffGen\", \"" + MethodEmitter.Version + "\")]");
            WriteInliningHint(w);
            w.Open(_model.Accessibility + " static " + T + " " + name + "Tangent(" + parameterList + ", out " + T + " " + tangentName + ")");
            WriteBody(w, withReverse: false, returnVariable: primalResult, beforeReturn: x => x.Line(tangentName + " = " + Print(Fwd(tangentResult), _real, Sym.Precedence.Lowest) + ";"));
            w.Close();
        }

        /// <summary>FHessianVector: value, gradient and H·v in one call, by reverse mode over the tangent program.</summary>
        public void WriteHessianVector(SourceWriter w, string name, string parameterList, string cref, int primalResult, IReadOnlyList<(string Adjoint, ParameterModel Parameter)> outputs)
        {
            w.Line("/// <summary>");
            w.Line("/// Computes " + cref + ", its gradient and the Hessian-vector product H·v for the direction given by the");
            w.Line("/// <c>…Dot</c> arguments, by reverse mode over the generated forward-mode (tangent) code.");
            w.Line("/// Gradient outputs are <c>d…</c>, Hessian-vector outputs <c>hv…</c>; all are overwritten.");
            w.Line("/// </summary>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"DiffGen\", \"" + MethodEmitter.Version + "\")]");
            w.Open(_model.Accessibility + " static " + T + " " + name + "HessianVector(" + parameterList + ")");
            foreach (var (adjoint, p) in outputs)
            {
                if (p.Shape == Shape.Scalar)
                {
                    w.Line(adjoint + " = " + Lit(0, p.ElementType) + ";");
                }
                else
                {
                    WriteShapeCheck(w, p with { AdjointName = adjoint });
                    w.Line(p.Shape == Shape.Matrix ? "Array.Clear(" + adjoint + ", 0, " + adjoint + ".Length);" : adjoint + ".Clear();");
                }
            }

            // The result's own adjoint, declared only when the reverse sweep reads it (a constant result has none).
            var body = new SourceWriter { Indent = w.Indent };
            WriteBody(body, withReverse: true, returnVariable: primalResult);
            string text = body.ToString();
            if (CodeText.Mentions(text, _seed))
            {
                w.Line(T + " " + _seed + " = " + Lit(1, _real) + ";");
            }

            w.Raw(text);
            w.Close();
        }

        private readonly List<string> _slots = new();
        private readonly List<string> _adjointDeclarations = new();
        private int _lastSource;

        private readonly Dictionary<ScalarType, string> _stackNames = new();

        /// <summary>doubleStack, intStack...: unique in the method, so a user's local of that name cannot clash.</summary>
        private string StackName(ScalarType type)
        {
            if (!_stackNames.TryGetValue(type, out var name))
            {
                string baseName = type switch
                {
                    ScalarType.Double => "doubleStack",
                    ScalarType.Float => "floatStack",
                    ScalarType.Int => "intStack",
                    _ => "boolStack",
                };
                name = SignatureReader.Unique(baseName, _taken, _nextSuffix);
                _stackNames[type] = name;
            }

            return name;
        }

        private string Stack(ScalarType type)
        {
            _stacks.Add(type);
            return StackName(type);
        }

        /// <summary>Declared at the top of the method rather than where first assigned.</summary>
        private bool IsHoisted(int id)
        {
            var v = _program.Variables[id];
            var info = _plan.Variables[id];
            if (v.Role == VarRole.Parameter || v.Shape != Shape.Scalar || info.IsLoopCounter || info.Definition is null || IsDeadInForward(id))
            {
                return false;
            }

            if (v.Role == VarRole.Temp)
            {
                return info.Needed && info.Mode == TempMode.Available && _plan[info.Definition].Depth > 0 && !_plan.InlineForward(id);
            }

            return !DeclaredAtDefinition(id);
        }

        private bool DeclaredAtDefinition(int id)
        {
            var info = _plan.Variables[id];
            var v = _program.Variables[id];
            if (v.Role == VarRole.Temp)
            {
                return !IsHoisted(id);
            }

            return info.Definition is { Kind: StmtKind.Assign } def && _plan[def].Depth == 0 && !info.IsLoopCounter;
        }

        /// <summary>The C# name of a variable; temps get a name from what computes them.</summary>
        private string Name(int id)
        {
            if (_names.TryGetValue(id, out var name))
            {
                return name;
            }

            var v = _program.Variables[id];
            string baseName = v.Name;
            if (v.Role == VarRole.Temp)
            {
                var def = _plan.Variables[id].Definition;
                baseName = def switch
                {
                    { Op: Op.Math } => def.Function.ToString().ToLowerInvariant(),
                    { Op: Op.Call } => Lower(Last(_program.Calls[def.Aux].Primal)),
                    { Op: Op.CallTangent } => Lower(Last(_program.Calls[def.Aux].Primal)) + "Dot",
                    { Op: Op.Load } => Lower(_program.Variables[def.Args[0]].Name) + "Element",
                    _ when v.Type == ScalarType.Bool => "condition",
                    _ when v.Type == ScalarType.Int => "index",
                    _ => "t",
                };
                name = SignatureReader.Unique(baseName, _taken, _nextSuffix);
            }
            else
            {
                name = baseName;
            }

            _names[id] = name;
            return name;
        }

        private static string Last(string dotted)
        {
            int dot = dotted.LastIndexOf('.');
            return dot < 0 ? dotted : dotted.Substring(dot + 1);
        }

        private static string Lower(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s.Substring(1);

        /// <summary>dX from x: derived names drop a verbatim '@' (d@double is not an identifier, dDouble is).</summary>
        private static string Upper(string s)
        {
            s = s.StartsWith("@", System.StringComparison.Ordinal) ? s.Substring(1) : s;
            return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
        }

        /// <summary>
        /// What follows the <c>d</c> of a variable's adjoint: its own name, unless <see cref="SwapAdjointNames"/> gave it
        /// another.
        /// </summary>
        private string AdjointStem(int id)
            => Upper(_adjointStems is not null && _adjointStems.TryGetValue(id, out var stem) ? stem : Name(id));

        /// <summary>
        /// For reverse over forward (FHessianVector): the adjoint of a tangent ẋ is the gradient's adjoint of x and the
        /// adjoint of x is the tangent of that, so each pair trades names: <c>dX</c> for the adjoint of <c>xDot</c> and
        /// <c>dXDot</c> for the adjoint of <c>x</c>, as a person writing the gradient and then its tangent would name
        /// them (the parameters already are: <c>dX</c> and <c>hvX</c>).
        /// </summary>
        public BodyEmitter SwapAdjointNames(IEnumerable<(int Primal, int Tangent)> pairs)
        {
            _adjointStems = new Dictionary<int, string>();
            foreach (var (primal, tangent) in pairs)
            {
                _adjointStems[primal] = _program.Variables[tangent].Name;
                _adjointStems[tangent] = _program.Variables[primal].Name;
            }

            return this;
        }

        /// <summary>The adjoint of a variable: <c>dX</c> for x. Parameters use their adjoint parameter.</summary>
        private string Adjoint(int id)
        {
            if (_adjoints.TryGetValue(id, out var name))
            {
                return name;
            }

            name = SignatureReader.Unique("d" + AdjointStem(id), _taken, _nextSuffix);
            _adjoints[id] = name;
            return name;
        }

        private string Comment(int source)
        {
            var line = _program.Sources[source];
            return "// " + _model.FileName + "(" + line.Line.ToString(CultureInfo.InvariantCulture) + "): " + line.Text;
        }
    }
}
