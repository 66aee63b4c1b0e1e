// `corestride serve`: the what-if explorer (docs/explorer.md). A local web server (cpp-httplib,
// Debian's libcpp-httplib-dev) that serves one self-contained page (analysis/explorer.html)
// and a small JSON API. Every value goes through the scenario code of the command line; the
// client never names a file; runs go through a bounded queue (job_queue.h) with a time limit.
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "error.h"
#include "exercise.h"
#include "h5_file.h"
#include "input_file.h"
#include "job_queue.h"
#include "model.h"
#include "model_parser.h"
#include "scenario_words.h"
#include "paths.h"
#include "run_output.h"
#include "run_view.h"
#include "scenario.h"
#include "sweep.h"
#include "version.h"

namespace corestride {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// Keys a client may not set: they name files on the server (the client never names a path).
bool fileKey(const std::string& key) {
    return key == "model.file" || key == "motion.source" || key == "motion.kinematics" || key == "motion.grf" ||
           key == "motion.grf_right" || key == "motion.grf_left";
}

// A 400 answer: the message and, when the message names one, the key.
Json badRequest(const std::string& message) {
    Json j{{"error", message}};
    std::smatch m;
    static const std::regex key_re("key '([^']+)'");
    if (std::regex_search(message, m, key_re)) j["key"] = m[1].str();
    return j;
}

void reply(httplib::Response& res, int status, const Json& j) {
    res.status = status;
    res.set_content(j.dump(), "application/json");
}

// The keys of a request body {"key": value, ...}: numbers in their shortest exact form.
std::map<std::string, std::string> requestKeys(const std::string& body) {
    const Json j = Json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw UserError("request: the body must be a JSON object of scenario keys");
    std::map<std::string, std::string> keys;
    for (const auto& [key, value] : j.items()) {
        if (fileKey(key)) throw UserError("key '" + key + "': not settable here (the explorer reads no files)");
        if (value.is_string()) {
            keys[key] = value.get<std::string>();
        } else if (value.is_number()) {
            char buf[64];
            const auto r = std::to_chars(buf, buf + sizeof buf, value.get<double>());
            keys[key] = std::string(buf, r.ptr);
        } else if (value.is_boolean()) {
            keys[key] = value.get<bool>() ? "yes" : "no";
        } else {
            throw UserError("key '" + key + "': value must be a number or a text");
        }
    }
    return keys;
}

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Scratch directories of servers killed outright (kill -9) are removed at start: a directory
// corestride-serve-<pid> whose process is gone.
fs::path scratchDir() {
    const fs::path tmp = fs::temp_directory_path();
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(tmp, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("corestride-serve-", 0) != 0) continue;
        const std::string pid = name.substr(17);
        if (!pid.empty() && pid.find_first_not_of("0123456789") == std::string::npos &&
            !fs::exists("/proc/" + pid, ec))
            fs::remove_all(e.path(), ec);
    }
    const fs::path dir = tmp / ("corestride-serve-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

// Ctrl-C and SIGTERM only set a flag (all a signal handler may safely do); a watcher thread
// stops the server, also when the signal came before the server started listening.
std::atomic<bool> g_stop_requested{false};
extern "C" void requestStop(int) { g_stop_requested = true; }

Json keyTable() {
    Json keys = Json::array();
    for (const KeySpec& k : scenarioKeys()) {
        if (fileKey(k.name)) continue;
        Json e{{"name", k.name}, {"unit", k.unit}, {"default", k.default_value}, {"help", k.help}};
        switch (k.kind) {
            case KeyKind::Number: e["kind"] = "number"; e["lo"] = k.lo; e["hi"] = k.hi; break;
            case KeyKind::Integer: e["kind"] = "integer"; e["lo"] = k.lo; e["hi"] = k.hi; break;
            case KeyKind::Choice: e["kind"] = "choice"; e["choices"] = k.choices; break;
            case KeyKind::Text: e["kind"] = "text"; break;
        }
        keys.push_back(e);
    }
    std::vector<std::string> exercises;
    for (const std::string& f : exerciseLibraryFiles(defaultExerciseDir())) exercises.push_back(fs::path(f).stem().string());
    Json groups = Json::array();
    for (const GroupDesc& g : readModelFile(defaultModelPath()).groups) groups.push_back({{"name", g.name}, {"plain_name", plainGroupName(g.name)}});
    return Json{{"keys", keys}, {"exercises", exercises}, {"groups", groups}, {"version", kSoftwareVersion}};
}

}  // namespace

int serveCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    namespace po = boost::program_options;
    po::options_description opts("options");
    const int cores = std::max(1u, std::thread::hardware_concurrency());
    opts.add_options()("help,h", "this help")("port", po::value<int>()->default_value(8765),
                                              "TCP port (0: any free port, printed)")(
        "bind", po::value<std::string>()->default_value("127.0.0.1"),
        "address to listen on; anything but loopback needs --allow-remote")(
        "allow-remote", "allow --bind to a non-loopback address (anyone who reaches it can start runs)")(
        "jobs", po::value<int>()->default_value(cores), "runs at once (default: one per core)")(
        "queue", po::value<int>()->default_value(cores), "runs waiting beyond those; more are refused (503)")(
        "time-limit", po::value<double>()->default_value(300), "s; a run still going after this is stopped")(
        "keep", po::value<int>()->default_value(16), "finished runs kept for the page and downloads (oldest forgotten)");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UserError(std::string("serve: ") + e.what());
    }
    if (vm.count("help")) {
        out << "usage: corestride serve [--port N] [--bind ADDR --allow-remote] [--jobs N] [--queue N] [--time-limit S]\n"
            << opts;
        return 0;
    }
    const int port = vm["port"].as<int>();
    const std::string bind = vm["bind"].as<std::string>();
    if (port < 0 || port > 65535) throw UserError("serve: --port " + std::to_string(port) + " is not a TCP port (0-65535)");
    const bool loopback = bind == "127.0.0.1" || bind == "localhost" || bind == "::1";
    if (!loopback && !vm.count("allow-remote"))
        throw UserError("serve: --bind " + bind + " is not loopback; add --allow-remote to serve other machines");
    if (vm["jobs"].as<int>() < 1) throw UserError("serve: --jobs must be at least 1");
    if (vm["queue"].as<int>() < 0) throw UserError("serve: --queue must not be negative");
    if (!(vm["time-limit"].as<double>() > 0)) throw UserError("serve: --time-limit must be positive");
    if (vm["keep"].as<int>() < 1) throw UserError("serve: --keep must be at least 1");
    const std::string page_path = analysisDir() + "/explorer.html";
    const std::string page = readInputFile(page_path, "explorer page");
    const fs::path scratch = scratchDir();

    // Declared before the queue: the queue's destructor stops and joins the jobs that use them.
    // Models for checking requests (read only, under a lock); the runs use one cache per worker
    // thread, because a Model cannot be simulated from two threads at once (sweep.h).
    SweepModelCache check_models;
    std::mutex check_mutex;
    std::atomic<long> file_counter{0};
    JobQueueOptions qo;
    qo.workers = vm["jobs"].as<int>();
    qo.max_waiting = vm["queue"].as<int>();
    qo.time_limit_s = vm["time-limit"].as<double>();
    qo.keep_finished = static_cast<std::size_t>(vm["keep"].as<int>());
    JobQueue queue(qo);
    // Each worker builds the default runner's model and stride before the first request (about
    // 0.5 s), so that the first run is as quick as the next ones.
    auto workerModels = [](const Scenario& scenario) {
        thread_local SweepModelCache models;
        return models.setup(scenario);
    };
    for (int k = 0; k < qo.workers; ++k)
        queue.submit([&](const std::function<void(double)>&) {
            workerModels(Scenario::resolve("", {}));
            return JobQueue::Output{"{}", {}};
        });

    httplib::Server svr;
    svr.new_task_queue = [] { return new httplib::ThreadPool(8); };
    svr.set_payload_max_length(1 << 20);
    svr.Get("/", [&](const httplib::Request&, httplib::Response& res) { res.set_content(page, "text/html; charset=utf-8"); });
    svr.Get("/api/keys", [&](const httplib::Request&, httplib::Response& res) { reply(res, 200, keyTable()); });
    svr.Post("/api/runs", [&](const httplib::Request& req, httplib::Response& res) {
        std::shared_ptr<const Scenario> scenario;
        try {
            scenario = std::make_shared<const Scenario>(Scenario::resolve("", requestKeys(req.body)));
            // What the command line checks when the run starts, checked before accepting it:
            // the model's names (weakness.group.*, weakness.muscle.*) and, when training
            // applies, the programme's exercises (runOptions computes the muscle condition).
            std::lock_guard<std::mutex> lock(check_mutex);
            runOptions(*check_models.setup(*scenario).model, scenario->settings());
        } catch (const UserError& e) {
            return reply(res, 400, badRequest(e.what()));
        }
        const long id = queue.submit([&, scenario](const std::function<void(double)>& progress) {
            const Settings& s = scenario->settings();
            ScenarioRun run = workerModels(*scenario);
            CmcOptions opt = runOptions(*run.model, s);
            opt.progress = progress;
            run.result = simulate(*run.model, run.reference, opt, s, &run.reference);
            JobQueue::Output o;
            o.json = runViewJson(run);
            // The files are made when downloaded: the page gets its numbers first.
            auto kept = std::make_shared<const ScenarioRun>(std::move(run));
            o.files["result.h5"] = [&, kept, scenario] {
                const fs::path h5 = scratch / ("run-" + std::to_string(++file_counter) + ".h5");
                {
                    H5Writer w = H5Writer::create(h5.string(), false);
                    writeFileHeader(w);
                    writeRun(w, scenario->settings().run.name, *scenario, *kept);
                    w.commit();
                }
                std::string bytes = readBytes(h5.string());
                std::error_code ec;
                fs::remove(h5, ec);
                return bytes;
            };
            o.files["scenario.cfg"] = [scenario] { return scenario->toIni(); };
            return o;
        });
        if (!id) return reply(res, 503, Json{{"error", "busy: every worker and queue place is taken; try again shortly"}});
        reply(res, 202, Json{{"id", id}});
    });
    auto idOf = [](const httplib::Request& req) { return std::stol(req.matches[1].str()); };
    svr.Get(R"(/api/runs/(\d{1,15}))", [&](const httplib::Request& req, httplib::Response& res) {
        JobQueue::Snapshot s;
        if (!queue.find(idOf(req), s)) return reply(res, 404, Json{{"error", "no such run (or forgotten)"}});
        Json j{{"id", idOf(req)},
               {"state", JobQueue::stateName(s.state)},
               {"progress", s.progress},
               {"elapsed_s", s.elapsed_s}};
        if (!s.error.empty()) j["error"] = s.error;
        if (s.output) j["result"] = Json::parse(s.output->json);
        reply(res, 200, j);
    });
    svr.Delete(R"(/api/runs/(\d{1,15}))", [&](const httplib::Request& req, httplib::Response& res) {
        JobQueue::Snapshot s;
        if (!queue.find(idOf(req), s)) return reply(res, 404, Json{{"error", "no such run (or forgotten)"}});
        if (!queue.cancel(idOf(req))) return reply(res, 409, Json{{"error", "the run has already ended"}});
        reply(res, 200, Json{{"cancelling", idOf(req)}});
    });
    svr.Get(R"(/api/runs/(\d{1,15})/(result\.h5|scenario\.cfg|report\.html))",
            [&](const httplib::Request& req, httplib::Response& res) {
                JobQueue::Snapshot s;
                if (!queue.find(idOf(req), s)) return reply(res, 404, Json{{"error", "no such run (or forgotten)"}});
                if (!s.output) return reply(res, 409, Json{{"error", "the run has no result (yet)"}});
                const std::string what = req.matches[2].str();
                if (what != "report.html") {
                    const bool h5 = what == "result.h5";
                    res.set_content(s.output->files.at(what)(), h5 ? "application/x-hdf5" : "text/plain; charset=utf-8");
                    res.set_header("Content-Disposition",
                                   std::string("attachment; filename=\"corestride-") + (h5 ? "result.h5" : "scenario.cfg") + "\"");
                    return;
                }
                // The report of `corestride report`, made on demand in the scratch directory.
                const fs::path dir = scratch / ("report-" + std::to_string(++file_counter));
                fs::create_directories(dir);
                const std::string h5 = (dir / "results.h5").string();
                std::ofstream(h5, std::ios::binary) << s.output->files.at("result.h5")();
                std::ostringstream o, e;
                int rc = 1;
                try {
                    rc = reportCommand({h5, "-o", (dir / "report").string()}, o, e);
                } catch (const std::exception& ex) {
                    e << ex.what();
                }
                std::error_code ec;
                if (rc != 0) {
                    fs::remove_all(dir, ec);
                    return reply(res, 500, Json{{"error", "the report failed: " + e.str()}});
                }
                res.set_content(readBytes((dir / "report" / "index.html").string()), "text/html; charset=utf-8");
                res.set_header("Content-Disposition", "attachment; filename=\"corestride-report.html\"");
                fs::remove_all(dir, ec);
            });
    svr.Post("/api/scenario/parse", [&](const httplib::Request& req, httplib::Response& res) {
        try {
            const Scenario sc = Scenario::fromIni(req.body, "scenario file");
            Json keys = Json::object();
            for (const auto& [k, v] : sc.withPrefix("")) {
                if (sc.origin(k) == "default") continue;
                if (fileKey(k))
                    return reply(res, 400, badRequest("key '" + k + "': the explorer reads no files; run this scenario "
                                                      "with corestride run"));
                keys[k] = v;
            }
            reply(res, 200, Json{{"keys", keys}});
        } catch (const UserError& e) {
            reply(res, 400, badRequest(e.what()));
        }
    });
    svr.Post("/api/scenario/ini", [&](const httplib::Request& req, httplib::Response& res) {
        try {
            const Scenario sc = Scenario::resolve("", requestKeys(req.body));
            res.set_content(sc.toIni(), "text/plain; charset=utf-8");
        } catch (const UserError& e) {
            reply(res, 400, badRequest(e.what()));
        }
    });
    svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (res.status == 404) reply(res, 404, Json{{"error", "no such page or route"}});
    });

    int bound = port;
    if (port == 0) bound = svr.bind_to_any_port(bind);
    else if (!svr.bind_to_port(bind.c_str(), port)) bound = -1;
    if (bound < 0) throw UserError("serve: cannot listen on " + bind + ":" + std::to_string(port) + " (in use?)");
    if (!loopback)
        err << "corestride serve: WARNING: listening on " << bind
            << ": anyone who can reach this address can start simulations on this machine\n";
    // The handlers first: a client may stop the server as soon as it reads the address.
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    std::atomic<bool> listen_done{false};
    std::thread watcher([&] {
        while (!g_stop_requested && !listen_done) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        while (!svr.is_running() && !listen_done) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        svr.stop();
    });
    out << "serving http://" << (bind == "::1" ? "[::1]" : bind) << ":" << bound << "/ (" << qo.workers
        << " runs at once, " << qo.max_waiting << " waiting; Ctrl-C stops)" << std::endl;
    svr.listen_after_bind();
    listen_done = true;
    watcher.join();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::error_code ec;
    fs::remove_all(scratch, ec);
    return 0;
}

}  // namespace corestride
