#!/usr/bin/python3
"""Search-quality runs of Optuna's samplers on the functions of bench/Rafiki.Bench.Tuning/Functions.cs.

Prints one JSON object per line: {"function", "sampler", "regrets"}, with the best regret of each seed.
Run with Debian's /usr/bin/python3 and the python3-optuna package (3.1.0 in Debian 12), which has no GPSampler;
CmaEsSampler needs python3-cmaes and is skipped, with a message on stderr, where that is missing.
"""

import argparse
import json
import math
import sys
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
]
HARTMANN_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]


def branin(trial):
    x1 = trial.suggest_float("x1", -5, 10)
    x2 = trial.suggest_float("x2", 0, 15)
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(trial):
    x = [trial.suggest_float(f"x{i}", 0, 1) for i in range(1, 7)]
    total = 0.0
    for i in range(4):
        exponent = sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2 for j in range(6))
        total += HARTMANN_ALPHA[i] * math.exp(-exponent)
    return -total


def rosenbrock5(trial):
    x = [trial.suggest_float(f"x{i}", -5, 10) for i in range(1, 6)]
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(4))


def mixed(trial):
    kind = trial.suggest_categorical("kind", ["quadratic", "sine", "flat"])
    x = trial.suggest_float("x", -5, 5)
    if kind == "quadratic":
        y = trial.suggest_float("y", 1e-3, 1, log=True)
    elif kind == "sine":
        freq = trial.suggest_int("freq", 1, 8)
    shift = trial.suggest_categorical("shift", ["a", "b", "c"])
    offset = {"a": 0.3, "b": 0.0, "c": 0.6}[shift]
    if kind == "quadratic":
        return (x - 1.5) ** 2 + 5 * (math.log10(y) + 2) ** 2 + offset
    if kind == "sine":
        return 0.5 + 0.1 * (x + 2) ** 2 + 0.4 * math.sin(freq * x) + offset
    return 1 + 0.05 * x * x + offset


FUNCTIONS = {
    "branin": (branin, 0.397887357729738),
    "hartmann6": (hartmann6, -3.32236801141551),
    "rosenbrock5": (rosenbrock5, 0.0),
    "mixed": (mixed, 0.0),
}


def samplers():
    result = {
        "optuna-tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
        "optuna-tpe-mv": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True, group=True),
    }
    try:
        import cmaes  # noqa: F401

        result["optuna-cmaes"] = lambda seed: optuna.samplers.CmaEsSampler(seed=seed, warn_independent_sampling=False)
    except ImportError:
        print("cmaes is not installed; skipping optuna-cmaes (apt-get install python3-cmaes)", file=sys.stderr)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=100, help="trials per study")
    parser.add_argument("--seeds", type=int, default=20, help="studies per function and sampler, seeds 0 to N-1")
    parser.add_argument("--functions", default=",".join(FUNCTIONS), help="comma-separated function names")
    args = parser.parse_args()

    for name in args.functions.split(","):
        objective, minimum = FUNCTIONS[name]
        for sampler_name, create in samplers().items():
            regrets = []
            for seed in range(args.seeds):
                study = optuna.create_study(sampler=create(seed), direction="minimize")
                study.optimize(objective, n_trials=args.trials)
                regrets.append(study.best_value - minimum)
            print(json.dumps({"function": name, "sampler": sampler_name, "regrets": regrets}), flush=True)


if __name__ == "__main__":
    main()
