// catalogue serves the list of items that bff shows.
package main

import (
	"encoding/json"
	"log"
	"net/http"
)

type item struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Price int    `json:"price"`
}

var items = []item{{1, "kind cluster", 0}, {2, "minikube cluster", 0}, {3, "clusterctl sticker", 300}}

func main() {
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) })
	http.HandleFunc("/items", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(items)
	})
	log.Println("catalogue listening on :8080")
	log.Fatal(http.ListenAndServe(":8080", nil))
}
