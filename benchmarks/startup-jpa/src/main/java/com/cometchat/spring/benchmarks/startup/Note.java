package com.cometchat.spring.benchmarks.startup;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/**
 * The JPA application's own entity: what an application that already uses Spring Data JPA brings before it adds the
 * starter.
 *
 * @author CometChat
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
