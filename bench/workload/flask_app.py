"""The seeds' stack: a Flask app answering the same probes, served by gunicorn (3 workers) in the benchmark."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/health")
def health():
    return jsonify(status="healthy")


@app.route("/ready")
def ready():
    return jsonify(status="ready")


@app.route("/startup")
def startup():
    return jsonify(status="started")
