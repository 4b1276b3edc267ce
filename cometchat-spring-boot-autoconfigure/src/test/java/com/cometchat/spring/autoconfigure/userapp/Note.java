package com.cometchat.spring.autoconfigure.userapp;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/**
 * An entity of "the user's application", to check that the starter leaves the application's own JPA setup intact.
 */
@Entity
public class Note {

	@Id
	@GeneratedValue
	private Long id;

	private String text;

	protected Note() {
	}

	public Note(String text) {
		this.text = text;
	}

	public Long getId() {
		return this.id;
	}

	public String getText() {
		return this.text;
	}

}
